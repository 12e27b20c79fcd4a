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
