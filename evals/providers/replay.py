"""Replay provider: re-serves the assistant turns of an earlier run's transcripts.

``evals run --provider replay --replay-from RUN`` plays each sample of RUN through today's
tool loop, workspace and graders without calling any API: graders (and the tools) can change
without paying for generation again. The n-th request of a sample gets the n-th assistant
message of its transcript; a sample whose transcript runs out of replies (it ended with an API
failure) ends as an infra error again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evals.cases import Case, Variant
from evals.errors import ProviderError, StoreError, UsageError
from evals.providers.base import Provider, SampleSpec
from evals.records import Message, ModelReply, ModelRequest, ToolUseBlock, Transcript, Usage
from evals.store import RunStore

if TYPE_CHECKING:
    from evals.agent import AgentFile
    from evals.config import RunOptions


class ReplayProvider(Provider):
    name = "replay"

    def __init__(self, source: RunStore) -> None:
        self.source = source
        self.info = source.read_info()
        self._transcripts: dict[tuple[str, str, int], Transcript] = {}

    @classmethod
    def create(cls, options: RunOptions, agent: AgentFile) -> ReplayProvider:
        if options.replay_from is None:
            raise UsageError("--provider replay needs --replay-from RUN (the run to replay)")
        return cls(RunStore.open(options.replay_from))

    def model_for(self, agent: AgentFile, options: RunOptions) -> str:
        return self.info.model

    def samples(self, cases: list[Case], samples_per_case: int) -> list[SampleSpec]:
        """Every sample of the source run that has a transcript, for the cases asked for."""
        specs: list[SampleSpec] = []
        for case in cases:
            for folder in self.source.layout.samples_of(case.id):
                label, _, index = folder.root.name.rpartition("-")
                if not folder.transcript.is_file() or not label or not index.isdigit():
                    continue
                specs.append(SampleSpec(case, Variant.parse(label), int(index)))
        return specs

    def transcript(self, sample: SampleSpec) -> Transcript:
        key = sample.key
        if key not in self._transcripts:
            folder = self.source.layout.sample(sample.case.id, sample.dirname)
            try:
                self._transcripts[key] = self.source.read_transcript(folder)
            except StoreError as exc:
                raise ProviderError(f"nothing to replay: {exc}") from None
        return self._transcripts[key]

    async def complete(self, request: ModelRequest, sample: SampleSpec) -> ModelReply:
        transcript = self.transcript(sample)
        turn = sum(m.role == "assistant" for m in request.messages)
        replies: list[Message] = [m for m in transcript.messages if m.role == "assistant"]
        recorded = transcript.turns[turn] if turn < len(transcript.turns) else None
        if turn < len(replies):
            content = replies[turn].content
            stop = recorded.stop_reason if recorded else _stop_for(content)
        elif recorded is not None:
            content, stop = [], recorded.stop_reason  # a turn that returned no content
        else:
            why = transcript.error or f"the transcript ended after {len(replies)} turn(s)"
            raise ProviderError(f"replay of {sample.case.id} {sample.dirname}: {why}")
        return ModelReply(
            content=list(content),
            stop_reason=stop,
            usage=recorded.usage if recorded else Usage(),
            cost_usd=0.0,
            latency_s=0.0,
            cached=True,
        )


def _stop_for(content: list) -> str:
    return "tool_use" if any(isinstance(b, ToolUseBlock) for b in content) else "end_turn"


PROVIDER = ReplayProvider
