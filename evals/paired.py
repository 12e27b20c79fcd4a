"""Statistics for comparing two runs of the same suite, case by case.

- :func:`fisher_drop`: is one case's pass rate lower in the candidate than in the baseline?
  Fisher's exact test, one-sided: exact for the small sample counts an eval can afford.
- :func:`holm`: the Holm step-down adjustment, so that testing every case of a suite does not
  turn ordinary noise in one of them into a "regression".
- :func:`case_bootstrap`: the one interval over a suite: cases (units) are resampled whole, each
  carrying its samples' noise in its own rate. The report's and the summary's suite pass rate
  (:data:`SUITE_INTERVAL`) and the gate's suite change, for agent and known-solution runs
  alike, all use it. Resampling samples again inside each drawn case would count their noise
  twice (the standard advice for nested data: resample the top level only).
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
class Interval:
    estimate: float
    low: float
    high: float


SUITE_INTERVAL = "95% CI, cases resampled"
"""How the report and the summary label their suite interval (:func:`case_bootstrap`)."""


# --- agent runs: every sample's evidence, calibrated by permutation ----------------------------
#
# The tests above see one bit per sample. A graded sample says more: the share of its hidden
# tests that passed, which tells a sample that missed one detail from one that broke the app.
# The gate's evidence for a sample is ``y = (passed + share of hidden tests passed) / 2``: it
# moves one for one with a pass turning into a failure, and keeps moving when failures get
# deeper. Tests are never counted as independent draws (they are correlated within a sample):
# a sample, with all its tests, is the unit that is permuted or resampled.


SHRINK = 4.0
"""Prior weight, in samples, of the suite-wide variance in each unit's variance estimate: with
a handful of samples a unit's own variance is too noisy to weight by."""
GRID_LIMIT = 10_000
EXACT_CELLS = 5_000_000
"""A unit's permutation distribution is counted exactly on the grid its evidence lives on
while the count table stays this small; beyond, it is sampled like the suite's."""


@dataclass(frozen=True)
class PermutationTest:
    """A stratified permutation test of "the candidate's evidence is lower" (one-sided)."""

    estimate: float
    """Weighted mean over units of the change in mean evidence (candidate minus baseline)."""
    p_value: float
    """Share of relabellings (within each unit) whose statistic is at most the observed one."""
    unit_p: tuple[float, ...]
    """Per unit: the same test on that unit alone (exact when its splits are few)."""
    weights: tuple[float, ...]
    """Inverse-variance weight of each unit (from both runs pooled: fixed under relabelling)."""
    null_sd: float
    """Standard deviation of the statistic under relabelling (the noise it was compared with)."""


def unit_weights(base: Sequence[Sequence[float]], cand: Sequence[Sequence[float]]) -> list[float]:
    """1 / variance of each unit's change, its variance shrunk towards the suite's mean.

    Everything is computed from the two runs pooled, so a relabelling leaves the weights alone
    and the permutation test stays exact.
    """
    import numpy as np

    pooled = [
        np.concatenate([np.asarray(b, float), np.asarray(c, float)])
        for b, c in zip(base, cand, strict=True)
    ]
    var = [float(v.var(ddof=1)) if len(v) > 1 else 0.0 for v in pooled]
    mean_var = sum(var) / len(var) if var else 0.0
    weights = []
    for b, c, v, values in zip(base, cand, var, pooled, strict=True):
        if not len(b) or not len(c):
            weights.append(0.0)
            continue
        dof = len(values) - 1
        shrunk = max((dof * v + SHRINK * mean_var) / (dof + SHRINK), 1e-4)
        weights.append(1.0 / (shrunk * (1 / len(b) + 1 / len(c))))
    return weights


def _grid(values: Sequence[float]) -> int | None:
    """The smallest integer ``L`` making every value times ``L`` whole (None: none small)."""
    from fractions import Fraction

    scale = 1
    for v in set(values):
        frac = Fraction(v).limit_denominator(GRID_LIMIT)
        if abs(float(frac) - v) > 1e-9:
            return None
        scale = math.lcm(scale, frac.denominator)
        if scale > GRID_LIMIT:
            return None
    return scale


def _exact_unit_p(values: Sequence[float], n_cand: int, observed_sum: float) -> float | None:
    """P(a random ``n_cand`` of ``values`` sums to at most ``observed_sum``), exactly.

    Counts the label splits by the sum they give the candidate, one distinct value at a time,
    on the grid the values live on (evidence is a pass and a share of tests: a few dozen
    steps); None when there is no small grid.
    """
    from collections import Counter

    import numpy as np

    scale = _grid(values)
    if scale is None:
        return None
    ints = [round(v * scale) for v in values]
    low = min(ints)
    ints = [x - low for x in ints]
    observed = math.floor(observed_sum * scale + 1e-6) - low * n_cand
    width = sum(sorted(ints)[len(ints) - n_cand :]) + 1
    if (n_cand + 1) * width > EXACT_CELLS:
        return None
    ways = np.zeros((n_cand + 1, width))
    ways[0, 0] = 1.0
    for value, count in Counter(ints).items():
        grown = np.zeros_like(ways)
        for t in range(min(count, n_cand) + 1):
            shift = t * value
            if shift >= width:
                break
            grown[t:, shift:] += math.comb(count, t) * ways[: n_cand + 1 - t, : width - shift]
        ways = grown
    hits = ways[n_cand, : max(observed + 1, 0)].sum()
    return float(hits / math.comb(len(values), n_cand))


def permutation_test(
    base: Sequence[Sequence[float]],
    cand: Sequence[Sequence[float]],
    *,
    iterations: int = 2000,
    seed: int = 0,
) -> PermutationTest:
    """Relabel samples as baseline or candidate within each unit, ``iterations`` times.

    Under "the edit changed nothing" a unit's samples are exchangeable between the two runs
    whatever their distribution and whatever the correlation of tests within a sample, so the
    p-value is exact (a Monte Carlo p-value ``(1 + hits) / (1 + iterations)`` is itself a valid
    test) at any sample count. Each unit's own p-value is counted exactly (it is Fisher's
    exact test when the evidence is pass or fail). Units with samples missing on one side are
    left out.
    """
    import numpy as np

    weights = unit_weights(base, cand)
    total = sum(weights)
    rng = np.random.default_rng(seed)
    observed = 0.0
    null = np.zeros(iterations)
    unit_p: list[float] = []
    for base_unit, cand_unit, w in zip(base, cand, weights, strict=True):
        if not w:
            unit_p.append(1.0)
            continue
        b, c = np.asarray(base_unit, float), np.asarray(cand_unit, float)
        values = np.concatenate([b, c])
        nb, nc = len(b), len(c)
        change = c.mean() - b.mean()
        observed += w * change
        grand = values.sum()
        draws = rng.permuted(np.broadcast_to(values, (iterations, len(values))), axis=1)
        cand_sum = draws[:, :nc].sum(axis=1)
        drawn = cand_sum / nc - (grand - cand_sum) / nb
        null += w * drawn
        exact = _exact_unit_p(values.tolist(), nc, float(c.sum()))
        if exact is None:
            exact = (1 + int(np.sum(drawn <= change + 1e-9))) / (1 + iterations)
        unit_p.append(min(1.0, exact))
    if not total:
        return PermutationTest(0.0, 1.0, tuple(unit_p), tuple(weights), 0.0)
    estimate = float(observed / total)
    null /= total
    p = (1 + int(np.sum(null <= estimate + 1e-12))) / (1 + iterations)
    return PermutationTest(estimate, min(1.0, p), tuple(unit_p), tuple(weights), float(null.std()))


def weighted_holm(pvalues: Sequence[float], weights: Sequence[float]) -> list[float]:
    """Adjusted p-values of Holm's weighted step-down procedure (Holm 1979).

    Hypothesis ``i`` is first tested at ``weights[i]`` of alpha (weights sum to 1); each
    rejection hands its share to the hypotheses left, in proportion to theirs. With equal
    weights this is :func:`holm`. Rejecting every hypothesis whose adjusted p-value is at most
    alpha holds the family-wise error at alpha, whatever the dependence between the tests.
    """
    active = [i for i in range(len(pvalues)) if weights[i] > 0]
    adjusted = [1.0] * len(pvalues)
    running = 0.0
    while active:
        total = sum(weights[i] for i in active)
        j = min(active, key=lambda i: pvalues[i] / weights[i])
        running = max(running, min(1.0, pvalues[j] * total / weights[j]))
        adjusted[j] = running
        active.remove(j)
    return adjusted


def newcombe(base_passed: int, base_n: int, cand_passed: int, cand_n: int) -> Interval:
    """95% interval of the change in pass rate (Newcombe's hybrid score interval).

    Unlike a bootstrap it is sensible at one sample per side, where it is (rightly) wide.
    """
    if base_n <= 0 or cand_n <= 0:
        return Interval(math.nan, math.nan, math.nan)

    def wilson(x: int, n: int) -> tuple[float, float, float]:
        z, p = 1.959964, x / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return p, max(0.0, centre - half), min(1.0, centre + half)

    p1, l1, u1 = wilson(base_passed, base_n)
    p2, l2, u2 = wilson(cand_passed, cand_n)
    d = p2 - p1
    return Interval(
        d,
        d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2),
        d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2),
    )


def case_bootstrap(
    changes: Sequence[float], weights: Sequence[float] | None = None, *,
    iterations: int = 2000, seed: int = 0,
) -> Interval:  # fmt: skip
    """95% interval of a (weighted) mean of per-unit changes, resampling units.

    Each unit's change already carries its samples' noise, so the units are resampled whole
    (samples and their tests travel with their unit). Resampling the samples again inside
    each drawn unit would count that noise twice.
    """
    import numpy as np

    d = np.asarray(changes, float)
    w = np.ones_like(d) if weights is None else np.asarray(weights, float)
    keep = ~np.isnan(d) & (w > 0)
    d, w = d[keep], w[keep]
    if not len(d):
        return Interval(math.nan, math.nan, math.nan)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(d), size=(iterations, len(d)))
    means = (d[picks] * w[picks]).sum(axis=1) / w[picks].sum(axis=1)
    return Interval(
        float((d * w).sum() / w.sum()),
        float(np.percentile(means, 2.5)),
        float(np.percentile(means, 97.5)),
    )


def sample_bootstrap(
    base: Sequence[float], cand: Sequence[float], *, iterations: int = 2000, seed: int = 0
) -> Interval:
    """95% interval of one unit's change in mean evidence, resampling each run's samples.

    Samples are the independent draws within a unit; a sample's tests travel together. With a
    single sample on a side there is nothing to resample: the interval is unknown (nan).
    """
    import numpy as np

    b, c = np.asarray(base, float), np.asarray(cand, float)
    if not len(b) or not len(c):
        return Interval(math.nan, math.nan, math.nan)
    estimate = float(c.mean() - b.mean())
    if len(b) < 2 or len(c) < 2:
        return Interval(estimate, math.nan, math.nan)
    rng = np.random.default_rng(seed)
    drawn = c[rng.integers(0, len(c), size=(iterations, len(c)))].mean(axis=1) - b[
        rng.integers(0, len(b), size=(iterations, len(b)))
    ].mean(axis=1)
    return Interval(estimate, float(np.percentile(drawn, 2.5)), float(np.percentile(drawn, 97.5)))
