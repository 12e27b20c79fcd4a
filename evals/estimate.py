"""What a run will cost, said before the first call: the plan, a dollar range, and the question.

The range runs from the scripted floor (the mean session measured on the fake Messages API,
README "What it costs": read, write, check, summarise) to :data:`REAL_FACTOR` times it (a real
session explores, thinks and takes more turns; 3-5x measured). Replies the response cache
holds are free, so a re-run costs less than the low end; the high end is what a cap should
cover. ``--batch`` halves both ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from evals import models, providers
from evals.config import CONFIRM_ABOVE_USD
from evals.plan import SCRIPTED_USAGE

REAL_FACTOR = 5.0
"""A real session costs up to this many times the scripted floor (README, "What it costs")."""


@dataclass(frozen=True)
class RunPlan:
    """What ``evals run`` is about to do, shown before anything is spent."""

    provider: str
    """Resolved (never ``auto``): what it is comes from the provider registry."""
    model: str
    batch: bool
    cases: tuple[str, ...]
    samples: int
    """Samples still to run (a resumed run counts only the missing ones)."""
    already_done: int = 0
    max_cost: float | None = None
    paid_before: float = 0.0
    """What the run folder paid before this invocation (resume)."""

    @property
    def offline(self) -> bool:
        """No model is called: nothing to estimate or confirm."""
        return providers.is_offline(self.provider)

    @property
    def known_solutions(self) -> bool:
        """The run plays known solutions (what a baseline must match to be compared)."""
        return providers.info(self.provider).known_solutions

    @property
    def per_sample(self) -> tuple[float, float]:
        if self.offline:
            return 0.0, 0.0
        low = models.cost_usd(self.model, SCRIPTED_USAGE, batch=self.batch)
        return low, low * REAL_FACTOR

    @property
    def low(self) -> float:
        return self.per_sample[0] * self.samples

    @property
    def high(self) -> float:
        return self.per_sample[1] * self.samples

    def describe(self) -> str:
        done = f" ({self.already_done} already done)" if self.already_done else ""
        head = (
            f"plan: {self.samples} sample(s){done} over {len(self.cases)} case(s), provider "
            f"{self.provider}, model {self.model}{', --batch' if self.batch else ''}"
        )
        if self.offline:
            return f"{head}\nestimate: $0 (offline: no model is called)"
        low, high = self.per_sample
        mode = "batch (half price)" if self.batch else "interactive"
        lines = [
            head,
            f"estimate: ${self.low:.2f}-${self.high:.2f} {mode} (per sample ${low:.3f}-"
            f"${high:.3f}: the scripted floor to {REAL_FACTOR:g}x it; replies in the response "
            "cache are free)",
        ]
        if self.max_cost is None:
            lines.append("cap: none (--max-cost USD stops new calls once the run has paid it)")
        else:
            before = f", ${self.paid_before:.4f} already paid" if self.paid_before else ""
            lines.append(f"cap: ${self.max_cost:g} over the whole run{before}")
        return "\n".join(lines)

    def needs_confirmation(self) -> bool:
        capped = self.max_cost is not None and self.max_cost <= CONFIRM_ABOVE_USD
        return not self.offline and self.high > CONFIRM_ABOVE_USD and not capped
