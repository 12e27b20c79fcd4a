"""Offline provider: plays a case's known solutions back through the real tool loop.

Each variant (reference, alternatives, mutants) is one sample. Turn 1 writes every file of
the solution with ``Write`` calls; turn 2 ends the conversation. Because it goes through the
same loop, workspace and graders as a real agent, a validated suite also proves the harness.
"""

from __future__ import annotations

from evals.agent import AgentFile
from evals.cases import Case
from evals.config import RunOptions
from evals.providers.base import Provider, SampleSpec
from evals.records import ModelReply, ModelRequest, TextBlock, ToolUseBlock
from evals.workspace import VIRTUAL_ROOT


class ReferenceProvider(Provider):
    name = "reference"
    offline = True

    def model_for(self, agent: AgentFile, options: RunOptions) -> str:
        return "reference"

    def samples(self, cases: list[Case], samples_per_case: int) -> list[SampleSpec]:
        return [SampleSpec(case, variant, 0) for case in cases for variant in case.variants()]

    async def complete(self, request: ModelRequest, sample: SampleSpec) -> ModelReply:
        already_wrote = any(m.role == "assistant" for m in request.messages)
        if already_wrote:
            return ModelReply(
                content=[TextBlock(text=f"Wrote the {sample.variant.label} solution.")],
                stop_reason="end_turn",
            )
        files = sample.case.solution_overlay(sample.variant)
        calls = [
            ToolUseBlock(
                id=f"toolu_ref_{n:03d}",
                name="Write",
                input={
                    "file_path": str(VIRTUAL_ROOT / rel),
                    "content": content.decode("utf-8"),
                },
            )
            for n, (rel, content) in enumerate(sorted(files.items()))
        ]
        return ModelReply(content=calls, stop_reason="tool_use")


PROVIDER = ReferenceProvider
