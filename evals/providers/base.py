"""The provider interface the agent loop talks to."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evals.cases import Case, Variant
from evals.records import ModelReply, ModelRequest, Transcript

if TYPE_CHECKING:
    from evals.agent import AgentFile
    from evals.config import RunOptions
    from evals.execute.sandbox import Sandbox
    from evals.solve import Budget, LoopLimits
    from evals.workspace import Workspace


@dataclass(frozen=True)
class SampleSpec:
    """One sample of a run: which case, what it plays, and its repeat index."""

    case: Case
    variant: Variant
    index: int

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.case.id, self.variant.label, self.index)

    @property
    def dirname(self) -> str:
        return f"{self.variant.label}-{self.index}"


@dataclass(frozen=True)
class SampleJob:
    """Everything an engine that runs its own agent loop needs for one sample."""

    sample: SampleSpec
    agent: AgentFile
    model: str
    task: str
    """The case's task, as the harness's own loop sends it as the first user message."""
    workspace: Workspace
    sample_dir: Path
    sandbox: Sandbox
    limits: LoopLimits
    budget: Budget


class Provider(ABC):
    """Produces assistant replies for requests of one sample at a time.

    A provider never raises for a bad model reply: the loop judges replies. It raises
    :class:`evals.errors.ProviderError` when it cannot get a reply at all (after retries).
    """

    name: str = ""
    """Its name in :data:`evals.providers.PROVIDERS` (which says what it is)."""
    drives_loop: bool = False
    """True when the provider runs the whole agent loop itself (:meth:`run_sample`) instead
    of answering the harness's loop one turn at a time (:meth:`complete`)."""
    claude_code_version: str | None = None
    """The Claude Code CLI that runs the agent, when one does (recorded in run.json)."""
    ledger: Budget | None = None
    """The run's budget (set by the runner): cache reuse, the in-flight journal, retries."""

    @classmethod
    def create(cls, options: RunOptions, agent: AgentFile) -> Provider:
        """Build the provider for a run (API clients, caches, the model to use)."""
        return cls()

    def model_for(self, agent: AgentFile, options: RunOptions) -> str:
        """The model id recorded in the run and sent in requests."""
        return options.model or agent.model or "unspecified"

    def wall_time_s(self, requested: float) -> float:
        """A sample's wall-time limit with this provider, given the one the run asks for."""
        return requested

    def samples(self, cases: list[Case], samples_per_case: int) -> list[SampleSpec]:
        """Which samples to run: by default the agent, ``samples_per_case`` times per case."""
        return [
            SampleSpec(case, Variant("agent"), i) for case in cases for i in range(samples_per_case)
        ]

    def prepare(self, sandbox: Sandbox) -> None:  # noqa: B027 - optional hook
        """Check the run's sandbox before anything is spent (raise a UsageError if unfit)."""

    async def run_sample(self, job: SampleJob) -> Transcript:
        """The whole sample, for providers that drive the loop themselves."""
        raise NotImplementedError(f"provider {self.name!r} answers turns, not samples")

    @abstractmethod
    async def complete(self, request: ModelRequest, sample: SampleSpec) -> ModelReply:
        """The assistant's next message for ``request``."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release connections and flush caches."""
