"""Is a run complete? What it planned against what it graded, and why the rest did not run.

A run stopped by its cost cap (or by an API error no retry heals, or an interrupt) is
*incomplete*: its pass rates describe only the samples that ran. The summary, the report and
the gate all say so with the same banner, built here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from evals.providers import is_offline
from evals.records import RunInfo, SampleResult

INCOMPLETE_EXIT = 4
"""Exit code of ``evals run`` when the cost cap stopped it (resume finishes the rest)."""
REASONS = {
    "incomplete": "the cost cap",
    "stopped": "an API error",
    "interrupted": "an interrupt",
    "running": "a crash or kill",
}


def label(case_id: str, variant: str, sample: int) -> str:
    return f"{case_id}/{variant}-{sample}"


def planned(info: RunInfo) -> list[str]:
    """The run's planned samples; for runs recorded before plans were, the agent's samples."""
    if info.planned:
        return list(info.planned)
    if is_offline(info.provider):
        return []  # known solutions or replayed samples were not listed: what finished is the plan
    return [label(c, "agent", k) for c in info.case_ids for k in range(info.samples)]


@dataclass(frozen=True)
class Completeness:
    planned: int
    missing: tuple[str, ...]
    """``case/variant-k`` of every planned sample without a result."""
    reason: str
    """What stopped the run: the cost cap, an API error, an interrupt."""
    max_cost: float | None = None

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def missing_cases(self) -> dict[str, int]:
        """Case id -> samples missing."""
        return dict(sorted(Counter(m.split("/", 1)[0] for m in self.missing).items()))

    def banner(self, run: str = "RUN") -> str:
        """One paragraph: INCOMPLETE, what did not run, and how to finish it."""
        cases = ", ".join(f"{c} ({n})" for c, n in self.missing_cases.items())
        cap = f" ${self.max_cost:g}" if self.reason == "the cost cap" and self.max_cost else ""
        finish = f"evals run --resume {run}"
        if self.reason == "the cost cap":
            finish += " --max-cost <higher>"
        return (
            f"INCOMPLETE: {len(self.missing)} of {self.planned} planned sample(s) did not run "
            f"(stopped by {self.reason}{cap}); pass rates cover only what ran. "
            f"Not run: {cases}. Finish with: {finish}"
        )


def completeness(info: RunInfo, rows: list[SampleResult]) -> Completeness:
    plan = planned(info)
    done = {label(*r.key) for r in rows}
    missing = tuple(p for p in plan if p not in done)
    last = info.invocations[-1].outcome if info.invocations else "running"
    reason = REASONS.get(last, "an interrupt" if missing else "")
    return Completeness(max(len(plan), len(done)), missing, reason, info.max_cost)
