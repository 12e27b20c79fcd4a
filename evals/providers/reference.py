"""Offline provider: plays a case's known solutions back through the real tool loop.

Each variant (reference, alternatives, mutants) is one sample. Turn 1 writes every file of
the solution with ``Write`` calls; turn 2 ends the conversation. Because it goes through the
same loop, workspace and graders as a real agent, a validated suite also proves the harness.
"""

from __future__ import annotations

import base64

from evals.agent import AgentFile
from evals.cases import Case, Variant
from evals.config import RunOptions
from evals.errors import UsageError
from evals.providers.base import Provider, SampleSpec
from evals.records import Block, ModelReply, ModelRequest, TextBlock, ToolUseBlock
from evals.tools import BINARY_CONTENT
from evals.workspace import VIRTUAL_ROOT


class ReferenceProvider(Provider):
    name = "reference"

    def __init__(self, stand_in: dict[str, str] | None = None) -> None:
        self.stand_in = stand_in or {}
        """case id -> mutant that plays the case's reference (a self-check of the gate)."""

    @classmethod
    def create(cls, options: RunOptions, agent: AgentFile) -> ReferenceProvider:
        pairs = [item.partition("=") for item in options.stand_in]
        if bad := [case for case, eq, mutant in pairs if not eq or not case or not mutant]:
            raise UsageError(f"--stand-in takes CASE=MUTANT, got {bad}")
        return cls({case: mutant for case, _, mutant in pairs})

    def model_for(self, agent: AgentFile, options: RunOptions) -> str:
        return "reference"

    def samples(self, cases: list[Case], samples_per_case: int) -> list[SampleSpec]:
        known = {case.id: {m.name for m in case.mutants} for case in cases}
        for case_id, mutant in self.stand_in.items():
            if mutant not in known.get(case_id, ()):
                raise UsageError(f"--stand-in {case_id}={mutant}: no such case and mutant here")
        return [SampleSpec(case, variant, 0) for case in cases for variant in case.variants()]

    async def complete(self, request: ModelRequest, sample: SampleSpec) -> ModelReply:
        already_wrote = any(m.role == "assistant" for m in request.messages)
        if already_wrote:
            return ModelReply(
                content=[TextBlock(text=f"Wrote the {sample.variant.label} solution.")],
                stop_reason="end_turn",
            )
        variant = sample.variant
        if variant.kind == "reference" and sample.case.id in self.stand_in:
            variant = Variant("mutant", self.stand_in[sample.case.id])
        files = sample.case.solution_overlay(variant)
        calls: list[Block] = [
            ToolUseBlock(
                id=f"toolu_ref_{n:03d}",
                name="Write",
                input={"file_path": str(VIRTUAL_ROOT / rel), **_content(content)},
            )
            for n, (rel, content) in enumerate(sorted(files.items()))
        ]
        return ModelReply(content=calls, stop_reason="tool_use")


def _content(data: bytes) -> dict[str, str]:
    """Write's input for a file: its text, or its bytes when they are not UTF-8."""
    try:
        return {"content": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {BINARY_CONTENT: base64.b64encode(data).decode("ascii")}


PROVIDER = ReferenceProvider
