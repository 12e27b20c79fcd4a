"""report.html from constructed runs: what it shows, that it stands alone, and that it scales."""

from __future__ import annotations

import html
import re

from runfactory import FAIL_MESSAGE, Sample, agent_samples, make_run

from evals.cases import GraderSpec
from evals.cli import main as cli
from evals.records import Finding, GradeResult, SampleResult
from evals.report import build, write_report
from evals.score import score_sample
from evals.templating import render
from graders import registry
from graders.registry import GraderInfo


def failing_run(tmp_path):
    samples = [
        *agent_samples("users-case", 3, findings=[]),
        Sample("users-case", False, k=5, import_error="ModuleNotFoundError: No module named 'jose'"),
        Sample("users-case", True, k=6, findings=[
            Finding(code="S105", message="Possible hardcoded password", path="app/main.py",
                    line=6, severity="error", rule="security"),
        ]),
        Sample("users-case", k=7, infra="sandbox: bwrap failed to start"),
        *agent_samples("crud-case", 2, total=2),
    ]  # fmt: skip
    return make_run(tmp_path, samples, must_pass=("users-case",))


def test_report_shows_header_summary_cases_and_failures(tmp_path):
    run = failing_run(tmp_path)
    path = write_report(run, cases_dir=tmp_path / "no-cases-here")
    text = path.read_text()
    assert path == run / "report.html"
    for expected in (
        "fastapi-backend-architect",  # agent name
        "claude-test",  # model
        "anthropic",  # provider
        "2026-01-01 10:00 UTC",  # date
        "5m 00s",  # duration
        "evals 0.1.0",  # harness version
        "95% CI",
        "users-case",
        "Title of users-case",
        "must-pass",
        "test_create_returns_201",
    ):
        assert expected in text, expected
    assert html.escape("must be 201, got 200") in text
    assert "No module named &#39;jose&#39;" in text  # the import error, escaped
    assert "Possible hardcoded password" in text  # the ruff finding, at its line
    assert 'id="infra"' in text and "bwrap failed to start" in text


def test_summary_numbers_leave_infra_errors_out(tmp_path):
    context = build(failing_run(tmp_path), tmp_path / "no-cases-here")
    users = next(c for c in context["cases"] if c.id == "users-case")
    assert (users.samples, users.valid, users.passed, users.infra) == (8, 7, 4, 1)
    assert abs(users.pass_rate - 4 / 7) < 1e-9
    assert [f.test_id for f in users.failures] == ["test_create_returns_201"]
    assert users.failures[0].failed_in == ("agent #3", "agent #4", "agent #5")
    assert FAIL_MESSAGE.splitlines()[2] in users.failures[0].message
    assert [g.name for g in context["graders"]] == ["tests", "imports", "ruff"]
    assert {t.rule for t in context["tags"]} == {"api-design"}
    assert len(context["infra_rows"]) == 1


def test_drill_down_diffs_against_the_starting_workspace_from_the_run_folder(tmp_path):
    run = make_run(tmp_path, [Sample("users-case", False)])
    text = write_report(run, cases_dir=tmp_path / "missing").read_text()
    detail = html.unescape(text[text.index("<noscript>") : text.index("</noscript>")])
    # app/main.py existed at the start (cases.json in the run), so it is modified, not added.
    assert "app/main.py</span> · modified" in detail
    assert re.search(r"<tr class=a><td><td>\d+<td>.*HTTP_200_OK", detail)
    assert re.search(r"<tr class=c><td>3<td>3<td>app = FastAPI", detail)
    assert "→ Write /workspace/app/main.py" in detail  # the transcript's tool call
    assert "1 failed, 2 passed" in detail  # grading output


def test_report_is_self_contained(tmp_path):
    text = write_report(failing_run(tmp_path), tmp_path / "x").read_text()
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", text)
    assert "@import" not in text and "url(" not in text
    assert text.count("<script>") == 1 and "<style>" in text
    assert "<svg" in text  # charts are inline SVG


def test_offline_runs_say_so_and_count_known_solutions(tmp_path):
    samples = [
        Sample("users-case", True, variant="reference", expected_pass=True),
        Sample("users-case", False, variant="mutant-status-200", expected_pass=False),
        Sample("users-case", True, variant="mutant-no-hash", expected_pass=False),
    ]
    text = write_report(make_run(tmp_path, samples, provider="reference"), tmp_path).read_text()
    assert "OFFLINE" in text and "no model was called" in text
    assert "known solutions as expected" in text and ">2/3<" in text
    assert "NOT as expected" in text


def test_a_replayed_run_is_offline_but_keeps_its_pass_rate(tmp_path):
    # Replay calls no model, but its samples are the agent's: a pass rate, not "as expected".
    run = make_run(tmp_path, agent_samples("users-case", 2, total=3), provider="replay")
    context = build(run, tmp_path / "no-cases-here")
    assert context["h"].offline and not context["h"].known_solutions
    text = write_report(run, tmp_path / "no-cases-here").read_text()
    assert "REPLAY" in text and "no model was called" in text
    assert "suite pass rate (mean over cases)" in text


def test_cli_report_rewrites_the_report(tmp_path, capsys):
    run = failing_run(tmp_path)
    assert cli(["report", str(run), "--cases", str(tmp_path / "x")]) == 0
    assert capsys.readouterr().out.strip() == str(run / "report.html")
    assert cli(["report", str(tmp_path / "missing")]) == 2


def test_a_thousand_samples_render_with_lazy_drill_downs(tmp_path):
    """Synthetic scale check (no timing assertion): every sample is present and collapsed."""
    big = "\n".join(f"def handler_{i}(x: int) -> int:\n    return x + {i}\n" for i in range(60))
    samples = [
        Sample(f"case-{c:02d}", passed=(k % 3 != 0), k=k,
               files={"app/main.py": big + f"\n# sample {k}\n", "app/extra.py": "X = 1\n"})
        for c in range(20) for k in range(50)
    ]  # fmt: skip
    text = write_report(make_run(tmp_path, samples, bulk=True), tmp_path / "x").read_text()
    assert text.count('<details class="sample lazy') == 1000
    assert text.count("<noscript>") == 1000
    assert " open" not in re.findall(r'<details class="sample[^>]*>', text)[0]
    assert len(text) < 60_000_000


def test_each_case_lists_its_requirements_and_how_often_samples_met_them(tmp_path):
    run = failing_run(tmp_path)
    context = build(run, tmp_path / "no-cases-here")
    users = next(c for c in context["cases"] if c.id == "users-case")
    by_id = {q.id: q for q in users.requirements}
    # 7 graded samples (one infra error left out); test_create_returns_201 failed in 3.
    assert (by_id["create-201"].met, by_id["create-201"].of) == (4, 7)
    assert (by_id["stored-hashed"].met, by_id["stored-hashed"].of) == (7, 7)
    assert by_id["audit-log"].of == 0
    assert by_id["audit-log"].waived == "the log is not observable from outside the app"
    text = write_report(run, cases_dir=tmp_path / "no-cases-here").read_text()
    assert "A created user is answered with 201." in text
    assert re.search(r'<span class="fail">4/7</span>', text)
    assert "the log is not observable from outside the app" in text


def test_grader_columns_follow_the_registry_with_its_display_names(tmp_path):
    context = build(failing_run(tmp_path), tmp_path / "no-cases-here")
    present = [g.name for g in context["graders_present"]]
    assert present == sorted(present, key=registry.column_order)
    assert [g.name for g in context["graders"]] == present
    assert [g.display for g in context["graders"]] == [registry.display(n) for n in present]
    assert "judge" not in [g.name for g in registry.GRADERS]


def test_a_newly_registered_grader_flows_through_scoring_and_the_report(tmp_path, monkeypatch):
    style = GraderInfo("style", "nowhere:Style", "Style check", 0.2, required=False)
    known = (registry.GRADERS[0], style, *registry.GRADERS[1:])
    monkeypatch.setattr(registry, "GRADERS", known)
    run = make_run(tmp_path, agent_samples("users-case", 2, total=2))
    results = run / "results.jsonl"
    rows = [SampleResult.model_validate_json(line) for line in results.read_text().splitlines()]
    style_grade = GradeResult(grader="style", score=0.5, passed=False, details="too clever")
    results.write_text(
        "".join(
            r.model_copy(update={"grades": {**r.grades, "style": style_grade}}).model_dump_json()
            + "\n"
            for r in rows
        )
    )
    # Scoring: the default weight counts, and an optional grader does not decide a pass.
    specs = tuple(GraderSpec(g.name, g.weight, g.required) for g in registry.defaults())
    passed, weighted, _, _ = score_sample(specs, {**rows[0].grades, "style": style_grade})
    assert passed and weighted < 1.0

    context = build(run, tmp_path / "no-cases-here")
    assert [g.name for g in context["graders_present"]][:3] == ["tests", "style", "imports"]
    users = context["cases"][0]
    assert users.graders["style"] == 0.5
    assert "Style check" in render("report.html.j2", **context)


def test_the_summary_and_the_report_show_the_same_suite_interval(tmp_path):
    from evals.paired import SUITE_INTERVAL
    from evals.store import RunStore
    from evals.summary import render as summary

    run = failing_run(tmp_path)
    store = RunStore.open(run)
    text = summary(store.read_info(), store.results())
    suite = build(run, tmp_path / "no-cases-here")["suite"]
    low, high = suite["pass_rate_ci_low"], suite["pass_rate_ci_high"]
    assert f"{SUITE_INTERVAL}: {low:.1%}-{high:.1%}" in text
    page = write_report(run, tmp_path / "no-cases-here").read_text()
    assert f"{SUITE_INTERVAL}: {low * 100:.1f}% \u2013 {high * 100:.1f}%" in page
