"""How much a comparison can see: variance components, power, and the samples a drop needs.

The gate's suite test (``evals.paired.permutation_test``) compares per-sample evidence
``y = (passed + share of hidden tests passed) / 2`` between two runs, each case weighted by
the inverse of its variance. Its power follows from a few components of the suite:

- each case's pass probability ``p`` (a pass-rate drop cannot take it below zero);
- how deep failures go: the share of hidden tests a failing sample still passes, mean ``m``
  and variance ``v`` (so a sample's ``y`` is 1 when it passes and ``F / 2`` when it fails);
- the sample counts per case on each side.

A pass probability dropping by ``d`` moves a case's mean evidence by ``d * (1 - m / 2)`` (a
passing sample becoming a typical failing one; deeper failures would only add to it), and
``Var(y) = p(1-p)(1 - m/2)^2 + (1-p) v / 4``. The normal approximation of the weighted test
then gives the power, and inverted, the samples per case for a target power. The seeded
simulations in ``evals.simulate`` check these numbers against the real gate code.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

DEFAULT_SPREAD = (0.3, 0.95)
"""Per-case pass probabilities assumed for an agent run when the run at hand cannot tell
(a deterministic offline run): spread evenly over this range, as measured agents spread."""
DEFAULT_DEPTH = (0.75, 0.06)
"""Mean and variance of the share of hidden tests a failing sample still passes, when the run
has no failing sample to measure it from."""
PRIOR = 2.0
"""Samples' worth of the suite's mean pass rate mixed into each case's own (small k)."""
MAX_SAMPLES = 1000
MARGIN = 0.02
"""Power asked for beyond the target when sizing a run: the approximation knows each case's
variance, the gate estimates it from the runs; the simulations (make power) land within two
points of the approximation, on either side."""


@dataclass(frozen=True)
class Components:
    """What the power of a comparison over a suite depends on."""

    pass_rates: tuple[float, ...]
    """Per case: the pass probability (shrunk towards the suite's mean)."""
    depth_mean: float
    """Mean share of hidden tests passed by a failing sample."""
    depth_var: float
    """Variance of that share between failing samples."""
    icc: float | None = None
    """Intraclass correlation of hidden-test outcomes within a sample (None: not measurable):
    how far tests are from independent draws."""
    between_case_sd: float | None = None
    """Spread of the pass probability between cases."""
    assumed: bool = False
    """True when the pass rates are an assumption, not measured (a deterministic run)."""

    @property
    def gain(self) -> float:
        """Change in mean evidence per unit of pass-rate drop."""
        return 1 - self.depth_mean / 2

    def variances(self) -> list[float]:
        g, v = self.gain, self.depth_var
        return [max(p * (1 - p) * g * g + (1 - p) * v / 4, 1e-4) for p in self.pass_rates]


def estimate(
    rates: Sequence[tuple[int, int]],
    fail_shares: Sequence[float],
    *,
    icc: float | None = None,
) -> Components:
    """Components from per-case ``(passed, n)`` and the test shares of the failing samples."""
    counted = [(x, n) for x, n in rates if n > 0]
    total = sum(n for _, n in counted)
    mean = sum(x for x, _ in counted) / total if total else 0.0
    shrunk = tuple((x + PRIOR * mean) / (n + PRIOR) for x, n in counted)
    if fail_shares:
        m = sum(fail_shares) / len(fail_shares)
        v = sum((s - m) ** 2 for s in fail_shares) / max(len(fail_shares) - 1, 1)
        v = v if len(fail_shares) > 1 else DEFAULT_DEPTH[1]
    else:
        m, v = DEFAULT_DEPTH
    raw = [x / n for x, n in counted]
    spread = None
    if len(raw) > 1:
        mu = sum(raw) / len(raw)
        spread = math.sqrt(sum((r - mu) ** 2 for r in raw) / (len(raw) - 1))
    return Components(shrunk, m, v, icc=icc, between_case_sd=spread)


def assumed(
    cases: int,
    spread: tuple[float, float] = DEFAULT_SPREAD,
    depth: tuple[float, float] = DEFAULT_DEPTH,
) -> Components:
    """Components of an agent run over ``cases`` cases whose pass probabilities spread evenly
    over ``spread``."""
    lo, hi = spread
    rates = tuple(lo + (hi - lo) * (i + 0.5) / cases for i in range(cases))
    mu = sum(rates) / cases
    sd = math.sqrt(sum((r - mu) ** 2 for r in rates) / max(cases - 1, 1))
    return Components(rates, depth[0], depth[1], between_case_sd=sd, assumed=True)


def _signal(c: Components, drop: float) -> tuple[float, float]:
    """(sum over cases of effect / variance, sum of 1 / variance) for one sample per side."""
    num = den = 0.0
    for p, var in zip(c.pass_rates, c.variances(), strict=True):
        num += min(drop, p) * c.gain / var
        den += 1 / var
    return num, den


def power(
    c: Components, drop: float, alpha: float, base_n: Sequence[int], cand_n: Sequence[int]
) -> float:
    """Chance that the suite test at one-sided ``alpha`` catches every case dropping by
    ``drop``, with these sample counts per case."""
    num = den = 0.0
    for p, var, nb, nc in zip(c.pass_rates, c.variances(), base_n, cand_n, strict=True):
        if nb <= 0 or nc <= 0:
            continue
        w = 1 / (var * (1 / nb + 1 / nc))
        num += w * min(drop, p) * c.gain
        den += w
    if not den:
        return 0.0
    z = NormalDist()
    return z.cdf(num / math.sqrt(den) - z.inv_cdf(1 - alpha))


def samples_needed(c: Components, drop: float, alpha: float, target: float = 0.8) -> int | None:
    """Samples per case, in each run, for ``target`` power at ``drop`` (None: out of reach),
    with :data:`MARGIN` to spare."""
    num, den = _signal(c, drop)
    if num <= 0:
        return None
    z = NormalDist()
    aim = min(target + MARGIN, 0.999)
    need = (z.inv_cdf(1 - alpha) + z.inv_cdf(aim)) ** 2 * 2 * den / (num * num)
    k = max(1, math.ceil(need - 1e-9))
    return k if k <= MAX_SAMPLES else None
