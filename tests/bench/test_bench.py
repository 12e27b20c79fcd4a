"""The bench's own logic: verdict comparison, the generation probe, the start-up probe."""

from __future__ import annotations

import math

from evals.bench.generation import run_generation_bench
from evals.bench.grading import Graded, GradingBench, verdict_diff, verdict_of
from evals.bench.startup import run_startup_bench
from evals.records import GradeResult, TestOutcome


def graded(outcome: str, passed: bool) -> Graded:
    grades = {
        "tests": GradeResult(
            grader="tests",
            passed=passed,
            score=1.0 if passed else 0.5,
            tests=[TestOutcome(id="t1", outcome="passed"), TestOutcome(id="t2", outcome=outcome)],
        )
    }
    return Graded(wall_s=1.0, exec_s=1.0, verdict=verdict_of(grades))


def test_verdict_diff_names_samples_whose_outcomes_differ_from_fresh():
    bench = GradingBench(samples=[], skipped={})
    bench.fresh = {"a/reference": graded("passed", True), "a/mutant-x": graded("failed", False)}
    bench.warm = {"a/reference": graded("passed", True), "a/mutant-x": graded("passed", True)}
    bench.passes = {("warm", 2): dict(bench.fresh)}
    (diff,) = verdict_diff(bench)
    assert diff.startswith("a/mutant-x (warm)") and "t2" in diff
    bench.warm = dict(bench.fresh)
    assert verdict_diff(bench) == []


def test_generation_probe_runs_every_turn_of_every_sample_against_the_fake():
    cold, (steady,) = run_generation_bench(samples=3, concurrency=2, latencies=(0.05,))
    for result in (cold, steady):
        assert result.requests == 3 * result.turns
        assert math.isclose(result.ideal_s, result.turns * 0.05 * 2)
        assert result.actual_s >= result.ideal_s * 0.99


def test_help_does_not_import_the_heavy_libraries():
    result = run_startup_bench(runs=1)
    assert result.heavy_loaded == []
