"""The grader protocol and the context every grader reads from."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from evals.records import GradeResult

if TYPE_CHECKING:
    from evals.cases import Case, Variant
    from evals.execute.record import Execution


class Grader(Protocol):
    name: str

    def grade(self, ctx: GradeContext) -> GradeResult: ...


class SampleExecutor(Protocol):
    """Runs a sample's import check and hidden suite: fresh (evals.execute.Executor) or
    warm (evals.execute.WarmExecutor)."""

    mode: str

    def execute(self, ctx: GradeContext) -> Execution: ...

    def close(self) -> None:
        """Release what is held between samples (warm workers hold a uid and a sandbox each)."""
        ...


@dataclass
class GradeContext:
    """What a grader may look at for one sample.

    ``workspace`` holds the final files the agent left (never modified by grading).
    ``execution()`` runs the sandboxed import check + hidden suite once per sample and is
    shared by the graders that need it.
    """

    case: Case
    variant: Variant
    workspace: Path
    grade_dir: Path
    executor: SampleExecutor
    measure_coverage: bool = False
    """Run the app under coverage (``evals validate`` on known solutions only)."""
    only_tests: tuple[str, ...] | None = None
    """Run only these hidden tests (exact collected ids; the canaries always run), and grade
    on them alone; None: the whole suite. ``evals validate`` runs a mutant's declared ones."""
    _execution: Execution | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def execution(self) -> Execution:
        with self._lock:
            if self._execution is None:
                self._execution = self.executor.execute(self)
            return self._execution
