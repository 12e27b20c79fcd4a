"""The gate on seeded synthetic agent runs shaped like the suite (evals.simulate): a no-op
edit fails it at most alpha of the time, and a 10-point drop is caught at the sample count
``evals plan`` recommends. ``make power`` prints the full table."""

from __future__ import annotations

import math

import numpy as np
import pytest

from evals.baseline import open_run
from evals.config import ROOT
from evals.plan import make_plan
from evals.simulate import LatentCase, gate_failure_rates, shape_of
from evals.thresholds import GateConfig

CONFIG = GateConfig(iterations=300)


@pytest.fixture(scope="module")
def shape():
    return shape_of(open_run(ROOT / "reports" / "baseline").rows)


def test_the_latent_model_passes_a_case_with_the_probability_asked(shape):
    case = LatentCase(shape[5], seed=3)  # jwt-retrofit, 31 correlated tests
    rng = np.random.default_rng(0)
    for p in (0.3, 0.6, 0.95):
        outcomes = case.draw(p, 4000, rng)
        assert abs(outcomes.all(axis=1).mean() - p) < 0.03
        # Tests are correlated: a failing sample usually fails only some of them.
        failing = outcomes[~outcomes.all(axis=1)]
        assert 0.5 < failing.mean() < 0.99


def test_a_no_op_edit_fails_the_gate_at_most_alpha_of_the_time(shape):
    runs = 120
    cells = gate_failure_rates(shape, [1, 3, 5], [0.0], runs, seed=11, config=CONFIG)
    alpha = CONFIG.alpha
    for cell in cells:  # each within alpha plus three Monte Carlo standard errors
        assert cell.rate <= alpha + 3 * math.sqrt(alpha * (1 - alpha) / runs), cell
    pooled = sum(c.failed for c in cells) / sum(c.runs for c in cells)
    assert pooled <= alpha + 3 * math.sqrt(alpha * (1 - alpha) / (3 * runs)), pooled


def test_a_ten_point_drop_is_caught_at_the_sample_count_evals_plan_recommends(shape):
    needed = make_plan(open_run(ROOT / "reports" / "baseline"), CONFIG).needed
    assert needed is not None
    runs = 80
    (cell,) = gate_failure_rates(shape, [needed], [0.10], runs, seed=0, config=CONFIG)
    # 80% is the plan's promise; three standard errors of Monte Carlo slack.
    assert cell.rate >= 0.8 - 3 * math.sqrt(0.8 * 0.2 / runs), cell
