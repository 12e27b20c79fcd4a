"""The gate's statistics against values worked out by hand."""

from __future__ import annotations

import math

from evals.paired import case_bootstrap, fisher_drop, holm


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


def test_a_units_permutation_p_is_fishers_exact_test_when_evidence_is_pass_or_fail():
    from evals.paired import permutation_test

    base, cand = [[1.0] * 12, [1.0, 0.0] * 3], [[1.0] * 5 + [0.0] * 7, [1.0, 0.0] * 3]
    test = permutation_test(base, cand, iterations=500)
    assert math.isclose(test.unit_p[0], fisher_drop(12, 12, 5, 12))
    assert math.isclose(test.unit_p[1], fisher_drop(3, 6, 3, 6))
    assert test.estimate < 0 and test.p_value < 0.01


def test_the_permutation_test_counts_deeper_failures_and_ignores_equal_runs():
    from evals.paired import permutation_test

    same = permutation_test([[1.0, 0.4, 0.9]] * 3, [[0.9, 1.0, 0.4]] * 3, iterations=300)
    assert same.estimate == 0 and same.p_value > 0.5
    # Pass rates equal (one failure each), but the candidate's failures break more tests.
    base, cand = [[1.0, 0.45, 0.45]] * 12, [[1.0, 0.1, 0.1]] * 12
    deeper = permutation_test(base, cand, iterations=300)
    assert deeper.p_value < 0.01
    # One draw of relabellings per seed: the same inputs give the same answer.
    assert deeper == permutation_test(base, cand, iterations=300)


def test_weighted_holm_is_holm_with_equal_weights_and_hands_alpha_on():
    from evals.paired import weighted_holm

    assert weighted_holm([0.01, 0.04, 0.03], [1, 1, 1]) == holm([0.01, 0.04, 0.03])
    # The suite starts with 0.8 of alpha; once it is rejected, the cases share all of it.
    suite, *cases = weighted_holm([0.03, 0.004, 0.5, 0.5], [0.8, 0.2 / 3, 0.2 / 3, 0.2 / 3])
    assert math.isclose(suite, 0.0375) and math.isclose(cases[0], 0.0375)
    assert cases[1:] == [1.0, 1.0]


def test_newcombe_interval_matches_the_published_example():
    from evals.paired import newcombe

    change = newcombe(48, 80, 56, 70)  # Newcombe (1998), method 10: 0.0524 to 0.3339
    assert (round(change.low, 4), round(change.high, 4)) == (0.0524, 0.3339)
    one = newcombe(1, 1, 0, 1)
    assert one.estimate == -1 and one.high > 0  # one sample each is never evidence
    assert math.isnan(newcombe(0, 0, 1, 1).estimate)


def test_bootstraps_resample_what_is_independent():
    from evals.paired import case_bootstrap, sample_bootstrap

    cases = case_bootstrap([-0.2] * 10, iterations=200)
    assert cases.low == cases.high == cases.estimate == -0.2  # no spread between cases
    spread = case_bootstrap([-0.4, 0.0, -0.2, 0.1], iterations=500)
    assert spread.low < -0.125 < spread.high
    assert math.isnan(sample_bootstrap([1.0], [0.0], iterations=100).low)  # nothing to resample
    within = sample_bootstrap([1.0, 1.0, 0.5], [0.5, 0.5, 1.0], iterations=500)
    assert within.low < within.estimate < within.high


def test_the_report_and_the_gate_draw_their_suite_intervals_the_same_way(monkeypatch):
    import pandas as pd

    from evals import gate, paired, score

    frame = pd.DataFrame(
        {"case_id": ["a", "a", "b"], "passed": [True, False, True], "score": [1.0, 0.5, 1.0],
         "infra_error": [None, None, None], "cost_usd": 0.0, "input_tokens": 0,
         "output_tokens": 0, "cache_read_tokens": 0, "cache_write_tokens": 0, "turns": 1,
         "gen_latency_s": 0.0, "grade_latency_s": 0.0}
    )  # fmt: skip
    suite = score.suite(frame)
    # Cases resampled whole, each with its own observed rate (a: 1/2, b: 1/1).
    expected = case_bootstrap([0.5, 1.0])
    assert (suite["pass_rate_ci_low"], suite["pass_rate_ci_high"]) == (expected.low, expected.high)
    assert suite["pass_rate_ci_low"] < 0.75 < suite["pass_rate_ci_high"]
    # The gate asks the very same function, which report.py and gate.py import by name.
    assert score.case_bootstrap is paired.case_bootstrap is gate.case_bootstrap
