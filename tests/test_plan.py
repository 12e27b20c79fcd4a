"""``evals plan``: samples per case for a given drop, and what a run of that size costs."""

from __future__ import annotations

from runfactory import agent_samples, make_run

from evals import power as pw
from evals.baseline import open_run
from evals.cli import main as cli
from evals.config import ROOT
from evals.plan import make_plan, render
from evals.thresholds import GateConfig

BASELINE = ROOT / "reports" / "baseline"


def test_a_deterministic_run_says_so_and_plans_an_agent_run_of_the_same_suite():
    plan = make_plan(open_run(BASELINE), GateConfig())
    assert plan.deterministic and plan.cases == 14 and plan.components.assumed
    assert 0.8 < plan.components.depth_mean < 1  # mutants fail a few tests, not all
    assert plan.needed == pw.samples_needed(plan.components, 0.10, 0.04, 0.8)
    assert 10 <= plan.needed <= 30
    powers = [p for _, p in plan.curve]
    assert powers == sorted(powers)
    text = render(plan)
    assert "This run is deterministic" in text
    assert f"Recommended: {plan.needed} samples per case" in text
    assert "interactive: $" in text and "--batch:     $" in text
    assert "measured on the fake API" in text


def test_a_noisier_suite_or_a_smaller_drop_needs_more_samples():
    easy = pw.samples_needed(pw.assumed(14, (0.85, 0.95)), 0.10, 0.04)
    hard = pw.samples_needed(pw.assumed(14, (0.3, 0.7)), 0.10, 0.04)
    assert easy is not None and hard is not None and easy < hard
    assert pw.samples_needed(pw.assumed(14), 0.05, 0.04) > pw.samples_needed(
        pw.assumed(14), 0.10, 0.04
    )


def test_an_agent_run_is_planned_from_its_own_noise_and_accounting(tmp_path):
    samples = [s for c, n in {"a": 3, "b": 4, "c": 2, "d": 5}.items()
               for s in agent_samples(c, n, 5, cost=0.2)]  # fmt: skip
    run = make_run(tmp_path, samples, run_id="agent")
    plan = make_plan(open_run(run), GateConfig(), drop=0.2)
    assert not plan.deterministic and not plan.components.assumed
    assert plan.samples == 5 and plan.accounting.measured
    assert abs(plan.accounting.dollars - 0.2) < 1e-9  # unpriced model: the recorded cost
    assert plan.needed is not None
    text = render(plan)
    assert "Measured on 4 cases, 5+ samples per case" in text
    assert f"${0.2 * 4 * plan.needed:,.2f}" in text


def test_cli_prints_the_plan_and_refuses_bad_input(tmp_path, capsys):
    assert cli(["plan", str(BASELINE), "--drop", "0.2"]) == 0
    assert "every case dropping 20%" in capsys.readouterr().out
    assert cli(["plan", str(tmp_path / "nope")]) == 2
    assert cli(["plan", str(BASELINE), "--drop", "2"]) == 2
    assert cli(["plan", str(BASELINE), "--spread", "0.9", "0.1"]) == 2
