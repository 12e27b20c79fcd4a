"""The regression gate on constructed runs: when it passes, when it fails, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from runfactory import Sample, agent_samples, make_run

from evals.baseline import open_run
from evals.cli import main as cli
from evals.errors import UsageError
from evals.gate import compare
from evals.thresholds import GateConfig, load_config

STABLE = {"auth-case": 5, "crud-case": 3, "docs-case": 4}


def runs(tmp_path: Path, base: dict[str, int], cand: dict[str, int], total: int = 5,
         **kwargs) -> tuple:  # fmt: skip
    b = make_run(tmp_path / "b", [s for c, n in base.items() for s in agent_samples(c, n, total)],
                 run_id="base", **kwargs)  # fmt: skip
    c = make_run(tmp_path / "c", [s for c, n in cand.items() for s in agent_samples(c, n, total)],
                 run_id="cand", agent_text="---\nname: x\n---\nedited\n", **kwargs)  # fmt: skip
    return b, c


def gate(base: Path, cand: Path, config: GateConfig | None = None, **kwargs):
    return compare(open_run(base), open_run(cand), config or GateConfig(), **kwargs)


def test_identical_runs_pass(tmp_path):
    base, cand = runs(tmp_path, STABLE, STABLE)
    result = gate(base, cand)
    assert result.exit_code == 0, result.reasons
    assert result.rate.estimate == 0
    assert not result.flips


def test_a_case_going_from_six_of_six_to_none_fails(tmp_path):
    # Six samples: 6/6 -> 0/6 is p = 1/924, within the cases' share of alpha over four cases
    # (5/5 -> 0/5, p = 1/252, no longer is: every rule now shares one alpha).
    base, cand = runs(tmp_path, {**STABLE, "users-case": 6}, {**STABLE, "users-case": 0}, 6)
    result = gate(base, cand)
    assert result.exit_code == 1
    unit = next(u for u in result.units if u.case_id == "users-case")
    assert unit.regressed and unit.flip == "pass → fail"
    assert unit.p_value == 1 / 924 and unit.p_adjusted < 0.05
    assert unit.change.high < 0
    assert "users-case" in result.reasons[0] and "100% → 0%" in result.reasons[0]
    assert [t.test_id for t in unit.tests] == ["test_create_returns_201"]
    assert "must be 201, got 200" in unit.tests[0].message
    assert all(not u.regressed for u in result.units if u.case_id != "users-case")


def test_noise_within_tolerance_passes(tmp_path):
    base = {"a": 5, "b": 4, "c": 3, "d": 5, "e": 2}
    cand = {"a": 4, "b": 5, "c": 3, "d": 4, "e": 3}
    result = gate(*runs(tmp_path, base, cand))
    assert result.exit_code == 0, result.reasons
    assert result.rate.low < 0 < result.rate.high


def test_one_sample_drop_in_a_case_that_is_not_must_pass_is_not_a_regression(tmp_path):
    base, cand = runs(tmp_path, {"a": 5, "b": 5}, {"a": 4, "b": 5})
    assert gate(base, cand).exit_code == 0


def test_a_must_pass_flip_on_one_agent_sample_is_not_evidence(tmp_path):
    # One sample of a noisy agent passing then failing is what a no-op edit does half the
    # time on a case it passes half the time: the must-pass rule needs evidence too.
    base = make_run(tmp_path / "b", [Sample("login", True), Sample("crud", True)],
                    run_id="base", must_pass=("login",))  # fmt: skip
    cand = make_run(tmp_path / "c", [Sample("login", False), Sample("crud", True)],
                    run_id="cand", must_pass=("login",))  # fmt: skip
    result = gate(base, cand)
    assert result.exit_code == 0, result.reasons
    assert [u.label for u in result.flips] == ["login"]
    assert result.power is not None and result.power.power < 0.8
    assert any("Too small to see a 10% drop" in note for note in result.notes)


def test_a_must_pass_case_fails_on_a_significant_drop_of_any_size(tmp_path):
    base, cand = runs(tmp_path, {**STABLE, "login": 12}, {**STABLE, "login": 5}, 12,
                      must_pass=("login",))  # fmt: skip
    lenient = GateConfig(case_tolerance=0.9)  # an ordinary case would need a 90-point drop
    result = gate(base, cand, lenient)
    assert result.exit_code == 1
    unit = next(u for u in result.units if u.case_id == "login")
    assert unit.reasons and unit.reasons[0].startswith("must-pass case dropped 100% → 42%")
    ordinary = gate(*runs(tmp_path / "o", {**STABLE, "login": 12}, {**STABLE, "login": 5}, 12),
                    lenient)  # fmt: skip
    assert not next(u for u in ordinary.units if u.case_id == "login").reasons


def test_the_same_flip_on_an_ordinary_case_is_not_enough_evidence(tmp_path):
    base = make_run(tmp_path / "b", [Sample("login", True), Sample("crud", True)], run_id="b")
    cand = make_run(tmp_path / "c", [Sample("login", False), Sample("crud", True)], run_id="c")
    result = gate(base, cand)
    assert result.exit_code == 0
    assert [u.label for u in result.flips] == ["login"]


def test_must_pass_can_come_from_configuration(tmp_path):
    base, cand = runs(tmp_path, {**STABLE, "login": 12}, {**STABLE, "login": 5}, 12)
    result = gate(base, cand, GateConfig(must_pass=("login",), case_tolerance=0.9))
    assert any(r.startswith("login: must-pass case dropped") for r in result.reasons)


def test_a_broad_drop_over_many_cases_fails_on_the_suite_interval(tmp_path):
    cases = {f"case-{i:02d}": 5 for i in range(20)}
    result = gate(*runs(tmp_path, cases, {c: 4 for c in cases}))
    assert result.exit_code == 1
    assert not any(u.regressed for u in result.units)  # no single case is significant
    assert result.rate.high < 0
    assert "suite pass rate dropped 20.0%" in result.reasons[0]


def test_offline_runs_pair_by_case_and_variant(tmp_path):
    variants = [("reference", True), ("alternative-sync", True), ("mutant-no-201", False)]
    base = make_run(tmp_path / "b", [Sample("users", p, variant=v, expected_pass=p)
                                      for v, p in variants],
                    run_id="b", provider="reference", must_pass=("users",))  # fmt: skip
    stand_in = [("reference", False), ("alternative-sync", True), ("mutant-no-201", False)]
    cand = make_run(tmp_path / "c", [Sample("users", p, variant=v, expected_pass=True)
                                      for v, p in stand_in],
                    run_id="c", provider="reference", must_pass=("users",))  # fmt: skip
    result = gate(base, cand)
    assert [u.label for u in result.units] == [
        "users / alternative-sync", "users / mutant-no-201", "users / reference"
    ]  # fmt: skip
    assert result.exit_code == 1
    assert result.reasons[0].startswith("users / reference: must-pass case flipped")


def test_mismatched_case_sets_are_a_usage_error(tmp_path):
    base, cand = runs(tmp_path, STABLE, {"auth-case": 5, "crud-case": 3, "new-case": 5})
    with pytest.raises(UsageError, match=r"only in the baseline: docs-case.*only in the "
                       "candidate: new-case"):  # fmt: skip
        gate(base, cand)
    result = gate(base, cand, only_common=True)
    assert result.exit_code == 0 and len(result.units) == 2 and result.left_out


def test_an_offline_baseline_cannot_gate_an_agent_run(tmp_path):
    base = make_run(tmp_path / "b", [Sample("a", True, variant="reference")], run_id="b",
                    provider="reference")  # fmt: skip
    cand = make_run(tmp_path / "c", [Sample("a", True)], run_id="c")
    with pytest.raises(UsageError, match="offline run"):
        gate(base, cand)


def test_a_case_with_only_infra_errors_cannot_be_judged(tmp_path):
    base, _ = runs(tmp_path, STABLE, STABLE)
    cand = make_run(tmp_path / "c2", [
        *agent_samples("auth-case", 5), *agent_samples("docs-case", 4),
        *[Sample("crud-case", k=i, infra="sandbox could not start") for i in range(5)],
    ], run_id="cand")  # fmt: skip
    result = gate(base, cand)
    assert result.exit_code == 3
    assert any("crud-case" in reason for reason in result.infra)


def test_config_comes_from_pyproject_and_flags_override_it(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.evals.gate]\ntolerance = 0.1\nmust_pass = ["login"]\n')
    config = load_config(pyproject, alpha=0.01, tolerance=None, must_pass=("crud",))
    assert (config.tolerance, config.alpha, config.must_pass) == (0.1, 0.01, ("login", "crud"))
    pyproject.write_text("[tool.evals.gate]\ntolerence = 0.1\n")
    with pytest.raises(UsageError, match=r"unknown keys.*tolerence"):
        load_config(pyproject)
    pyproject.write_text("[tool.evals.gate]\nalpha = 2\n")
    with pytest.raises(UsageError, match="alpha must be between 0 and 1"):
        load_config(pyproject)


# --- the command line ----------------------------------------------------------------------------


def test_cli_exit_codes_and_outputs(tmp_path, monkeypatch, capsys):
    summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    base, cand = runs(tmp_path, {**STABLE, "users-case": 6}, {**STABLE, "users-case": 0}, 6)
    config = ["--config", str(tmp_path / "none.toml")]
    assert cli(["gate", "--baseline", str(base), "--candidate", str(base), *config]) == 0
    assert cli(["gate", "--baseline", str(base), "--candidate", str(cand), *config]) == 1
    gate_md = (cand / "gate.md").read_text()
    assert "❌ evals gate: regression" in gate_md
    assert "users-case" in gate_md and "`test_create_returns_201`" in gate_md
    assert "must be 201, got 200" in gate_md
    assert summary.read_text().count("evals gate") == 2  # appended, once per gate
    html = (cand / "compare.html").read_text()
    assert (
        "test_create_returns_201" in html and "HTTP_200_OK" in html and "HTTP_201_CREATED" in html
    )
    assert "edited" in html  # the agent file diff
    out = capsys.readouterr().out
    assert "regression" in out


def test_cli_missing_runs_and_bad_usage_exit_2(tmp_path, capsys):
    base, _ = runs(tmp_path, STABLE, STABLE)
    missing = str(tmp_path / "nope")
    assert cli(["gate", "--baseline", missing, "--candidate", str(base)]) == 2
    assert "no such baseline (record one with 'make baseline')" in capsys.readouterr().err
    assert cli(["gate", "--baseline", str(base), "--candidate", missing]) == 2
    assert cli(["gate", "--baseline", str(base)]) == 2
    assert cli(["gate", "--baseline", str(base), "--candidate", str(base),
                "--tolerance", "5"]) == 2  # fmt: skip


def test_cli_mismatched_cases_exit_2_with_the_case_names(tmp_path, capsys):
    base, cand = runs(tmp_path, STABLE, {"auth-case": 5})
    assert cli(["gate", "--baseline", str(base), "--candidate", str(cand)]) == 2
    err = capsys.readouterr().err
    assert "crud-case" in err and "docs-case" in err and "--only-common" in err


def test_gate_md_lists_only_the_changed_cases_of_a_large_suite(tmp_path):
    from evals.compare import render_markdown

    names = [f"case-{i:02d}" for i in range(70)]
    base = make_run(tmp_path / "b", [Sample(n) for n in names], run_id="b", bulk=True)
    cand = make_run(tmp_path / "c", [Sample(n, passed=n != "case-07") for n in names],
                    run_id="c", bulk=True)  # fmt: skip
    baseline, candidate = open_run(base), open_run(cand)
    markdown = render_markdown(compare(baseline, candidate, GateConfig()), baseline, candidate)
    assert "Per case (70; 69 unchanged not listed)" in markdown
    assert "| case-07 |" in markdown and "| case-08 |" not in markdown
