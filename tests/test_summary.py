"""The end-of-run summary's accounting: prompt-cache tokens, hit rate, and the warning when
most prompt tokens were billed at the full rate."""

from __future__ import annotations

from evals.records import RunInfo, SampleResult, Usage
from evals.summary import render


def info() -> RunInfo:
    return RunInfo(
        run_id="r",
        harness_version="0",
        git_sha=None,
        agent_path="a.md",
        agent_name="a",
        agent_sha256="0" * 64,
        agent_text="",
        model="claude-sonnet-5-5",
        provider="anthropic",
        suite_hash="h",
        case_ids=["c"],
        samples=1,
        isolation="bwrap",
        started_at="now",
    )


def row(sample: int, usage: Usage) -> SampleResult:
    return SampleResult(
        run_id="r",
        case_id="c",
        variant="agent",
        sample=sample,
        passed=True,
        score=1.0,
        grades={},
        turns=4,
        usage=usage,
        cost_usd=0.01,
    )


def test_the_summary_reports_the_prompt_cache_hit_rate():
    text = render(info(), [row(0, Usage(input_tokens=100, cache_read_tokens=900, output_tokens=5))])
    assert "prompt cache: 900 tokens read, 0 written, hit rate 90%" in text
    assert "warning" not in text


def test_a_low_hit_rate_is_a_warning():
    usage = Usage(input_tokens=700, cache_read_tokens=100, cache_write_tokens=200)
    text = render(info(), [row(0, usage), row(1, usage)])
    assert "hit rate 10%" in text and "warning: prompt-cache hit rate 10% is below 50%" in text


def test_offline_runs_say_nothing_about_the_prompt_cache():
    assert "prompt cache" not in render(info(), [row(0, Usage())])


def test_failing_test_names_and_offline_runs_in_as_expected_terms(tmp_path):
    from runfactory import Sample, agent_samples, make_run

    from evals.store import RunStore

    agent = RunStore.open(make_run(tmp_path / "a", agent_samples("users", 1, total=3)))
    text = render(agent.read_info(), agent.results())
    assert "failing hidden tests:\n  users: test_create_returns_201 (2/3)" in text
    assert "suite: pass rate 33.3%" in text

    known = [Sample("users", variant="reference", expected_pass=True),
             Sample("users", variant="mutant-a", passed=False, expected_pass=False),
             Sample("users", variant="mutant-b", passed=True, expected_pass=False)]  # fmt: skip
    offline = RunStore.open(make_run(tmp_path / "o", known, provider="reference"))
    text = render(offline.read_info(), offline.results())
    assert (
        "known solutions: 2/3 as expected (references and alternatives pass, mutants fail)" in text
    )
    assert "suite: pass rate" not in text  # a rate over mutants that must fail means nothing
