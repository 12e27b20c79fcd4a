"""Statistics for comparing two runs of the same suite, case by case.

- :func:`fisher_drop`: is one case's pass rate lower in the candidate than in the baseline?
  Fisher's exact test, one-sided: exact for the small sample counts an eval can afford.
- :func:`holm`: the Holm step-down adjustment, so that testing every case of a suite does not
  turn ordinary noise in one of them into a "regression".
- :func:`paired_bootstrap`: an interval for the suite-level change. Cases are resampled with
  replacement, *paired* (a case's baseline and candidate stay together), and within each drawn
  case the pass counts of both runs are redrawn from their own rates, so the interval reflects
  both which cases the suite happens to hold and the sampling noise of k samples per case.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def fisher_drop(base_passed: int, base_n: int, cand_passed: int, cand_n: int) -> float:
    """P(candidate passes <= observed | no difference): small when the candidate got worse."""
    if base_n <= 0 or cand_n <= 0:
        return 1.0
    total, passes = base_n + cand_n, base_passed + cand_passed
    denominator = math.comb(total, cand_n)
    low = max(0, cand_n - (total - passes))
    tail = sum(
        math.comb(passes, x) * math.comb(total - passes, cand_n - x)
        for x in range(low, min(cand_passed, passes) + 1)
    )
    return min(1.0, tail / denominator)


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm-adjusted p-values (same order as given), monotone and capped at 1."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adjusted = [1.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adjusted[i] = running
    return adjusted


@dataclass(frozen=True)
class PairedUnit:
    """One case (or case and variant) as both runs saw it."""

    base_passed: int
    base_n: int
    cand_passed: int
    cand_n: int
    base_score: float
    cand_score: float


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


def paired_bootstrap(
    units: Sequence[PairedUnit], *, iterations: int = 2000, seed: int = 0
) -> tuple[Interval, Interval]:
    """95% percentile intervals of the change in mean pass rate and in mean score."""
    import numpy as np

    usable = [u for u in units if u.base_n > 0 and u.cand_n > 0]
    if not usable:
        nan = Interval(math.nan, math.nan, math.nan)
        return nan, nan
    base_n = np.array([u.base_n for u in usable])
    cand_n = np.array([u.cand_n for u in usable])
    base_p = np.array([u.base_passed / u.base_n for u in usable])
    cand_p = np.array([u.cand_passed / u.cand_n for u in usable])
    score_d = np.array([u.cand_score - u.base_score for u in usable])
    rng = np.random.default_rng(seed)
    m = len(usable)
    picks = rng.integers(0, m, size=(iterations, m))
    base = rng.binomial(base_n[picks], base_p[picks]) / base_n[picks]
    cand = rng.binomial(cand_n[picks], cand_p[picks]) / cand_n[picks]
    rate_deltas = (cand - base).mean(axis=1)
    score_deltas = score_d[picks].mean(axis=1)
    rate = Interval(
        float((cand_p - base_p).mean()),
        float(np.percentile(rate_deltas, 2.5)),
        float(np.percentile(rate_deltas, 97.5)),
    )
    score = Interval(
        float(score_d.mean()),
        float(np.percentile(score_deltas, 2.5)),
        float(np.percentile(score_deltas, 97.5)),
    )
    return rate, score
