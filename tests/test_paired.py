"""The gate's statistics against values worked out by hand."""

from __future__ import annotations

import math

from evals.paired import PairedUnit, fisher_drop, holm, paired_bootstrap


def test_fisher_drop_matches_the_hypergeometric_tail():
    assert math.isclose(fisher_drop(5, 5, 0, 5), 1 / 252)  # C(5,0)C(5,5)/C(10,5)
    assert math.isclose(fisher_drop(3, 3, 0, 3), 1 / 20)
    assert fisher_drop(1, 1, 0, 1) == 0.5  # one sample each is never evidence
    assert fisher_drop(3, 5, 4, 5) > 0.5  # an improvement is not a drop
    assert fisher_drop(5, 5, 5, 5) == 1.0
    assert fisher_drop(0, 0, 0, 5) == 1.0


def test_holm_adjusts_step_down_and_stays_monotone():
    assert holm([0.01, 0.04, 0.03]) == [0.03, 0.06, 0.06]
    assert holm([0.5]) == [0.5]
    assert holm([0.4, 0.4, 0.4]) == [1.0, 1.0, 1.0]


def test_paired_bootstrap_is_deterministic_and_brackets_the_change():
    units = [PairedUnit(5, 5, 4, 5, 1.0, 0.9) for _ in range(20)]
    rate, score = paired_bootstrap(units, iterations=500, seed=1)
    assert rate == paired_bootstrap(units, iterations=500, seed=1)[0]
    assert math.isclose(rate.estimate, -0.2)
    assert rate.low < -0.2 < rate.high < 0
    assert math.isclose(score.estimate, -0.1) and math.isclose(score.low, -0.1)


def test_paired_bootstrap_with_identical_runs_is_zero_and_with_nothing_nan():
    units = [PairedUnit(3, 5, 3, 5, 0.7, 0.7), PairedUnit(5, 5, 5, 5, 1.0, 1.0)]
    rate, _ = paired_bootstrap(units, iterations=200)
    assert rate.estimate == 0 and rate.low <= 0 <= rate.high
    assert math.isnan(paired_bootstrap([], iterations=200)[0].estimate)
