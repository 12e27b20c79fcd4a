"""Whole runs with the anthropic provider against the fake: ``evals.runner.run`` end to end,
graded in the sandbox. Kept few, as each graded sample costs seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakes import Failure, Reply, by_turn, text, tool_use
from fakes.sessions import ping_session, write_files_turn

from evals import models
from evals.cases import REFERENCE, load_case
from evals.config import DEFAULT_AGENT, DEFAULT_CASES, ROOT, RunOptions
from evals.runner import run
from evals.store import RunStore

MODEL = models.resolve("sonnet")


def run_fake(cases_dir: Path, out: Path, **options) -> RunStore:
    defaults = {"provider": "anthropic", "quiet": True, "workers": 2}
    return RunStore.open(run(RunOptions(cases_dir=cases_dir, out=out, **{**defaults, **options})))


def test_an_agent_session_that_writes_a_working_app_is_graded_end_to_end(fake_api, tmp_path):
    case = load_case(DEFAULT_CASES / "crud-pagination")
    files = {rel: data.decode() for rel, data in case.solution_overlay(REFERENCE).items()}
    port = fake_api.url.rsplit(":", 1)[1]
    probe = (
        'pwd; env | sort; python -c "import socket; '
        f"socket.create_connection(('127.0.0.1', {port}), timeout=2)\""
    )
    fake_api.script = by_turn(
        [
            Reply([tool_use("Glob", {"pattern": "**/*"}, "toolu_0_0")], "tool_use"),
            Reply([tool_use("Bash", {"command": probe}, "toolu_1_0")], "tool_use"),
            write_files_turn(files, turn=2),
            Reply(
                [
                    tool_use(
                        "Bash",
                        {"command": "cd /workspace && python -c 'import app.main' && echo ok"},
                        "toolu_3_0",
                    )
                ],
                "tool_use",
            ),
            Reply([text("The tasks API is implemented.")]),
        ]
    )
    store = run_fake(DEFAULT_CASES, tmp_path / "reports", case_ids=["crud-pagination"])

    (row,) = store.results()
    assert row.passed, row.grades["tests"].details
    assert row.stop == "end_turn" and row.turns == 5 and row.infra_error is None
    assert row.usage.output_tokens > 0 and row.usage.cache_read_tokens > 0
    assert row.cost_usd > 0
    assert row.usage.input_tokens + row.usage.cache_write_tokens > 0

    # The Bash tool: at /workspace, no secrets in its environment, no network.
    probe_result = fake_api.served[2]["messages"][-1]["content"][0]["content"]
    # The probe's last command fails (no network), so the result is an error, as in Claude Code.
    assert probe_result.startswith("Exit code 1\n/workspace\n")
    assert "ANTHROPIC" not in probe_result and "sk-ant" not in probe_result
    assert "Connection refused" in probe_result or "unreachable" in probe_result
    assert str(tmp_path) not in str(fake_api.served[-1])
    import_check = fake_api.served[4]["messages"][-1]["content"][0]
    assert not import_check["is_error"] and import_check["content"].startswith("ok")
    assert fake_api.bad_requests == []


def test_a_sample_whose_calls_keep_failing_is_an_infra_error_and_the_run_goes_on(
    fake_api, make_case, tmp_path
):
    folder = make_case()
    # The agent file's tools list limits what is offered (Bash runs in the sandbox).
    agent = tmp_path / "agent.md"
    stock = DEFAULT_AGENT.read_text()
    agent.write_text(stock.replace("\nmodel:", "\ntools: Read, Write, Bash\nmodel:", 1))
    fake_api.script = ping_session()
    overloaded = Failure(529, "overloaded_error", headers={"retry-after-ms": "10"})
    fake_api.failures.extend([overloaded] * 3)  # the first call and its two retries
    store = run_fake(folder.parent, tmp_path / "reports", samples=2, concurrency=1, agent=agent)

    assert [t["name"] for t in fake_api.served[0]["tools"]] == ["Read", "Write", "Bash"]

    rows = sorted(store.results(), key=lambda r: r.infra_error is None)
    assert [r.sample for r in rows] == [0, 1]
    failed, passed = rows
    assert failed.infra_error.startswith("generation:") and "529" in failed.infra_error
    assert failed.stop == "error" and failed.turns == 0
    assert passed.passed and passed.infra_error is None


def test_the_cost_limit_stops_new_work_then_resume_and_reruns_cost_nothing_twice(
    fake_api, make_case, tmp_path
):
    folder = make_case()
    fake_api.script = ping_session(bash=True)  # three turns per sample
    out = tmp_path / "reports"

    # A limit below one call's price: the first call is made, then nothing new starts.
    store = run_fake(folder.parent, out, samples=3, concurrency=1, max_cost=1e-6)
    assert store.results() == []  # unfinished samples are left for resume, not failed
    assert len(fake_api.served) == 1

    # The cap is kept by --resume (it counts what the folder already paid): a higher one
    # finishes the run.
    assert run(RunOptions(cases_dir=folder.parent, resume=store.root, quiet=True, workers=2))
    assert store.results() == [] and len(fake_api.served) == 1
    run(RunOptions(cases_dir=folder.parent, resume=store.root, quiet=True, workers=2, max_cost=10))
    rows = store.results()
    assert sorted(r.sample for r in rows) == [0, 1, 2] and all(r.passed for r in rows)
    assert len(fake_api.served) == 3 * 3  # the one paid call was not made again

    # A plain re-run into a new run folder: every reply comes from the response cache.
    again = run_fake(folder.parent, out, samples=3, concurrency=1)
    assert again.root != store.root
    assert len(fake_api.served) == 9
    rerun = again.results()
    assert all(r.passed and r.cost_usd == 0 for r in rerun)
    assert [r.usage for r in sorted(rerun, key=lambda r: r.sample)] == [
        r.usage for r in sorted(rows, key=lambda r: r.sample)
    ]


def test_a_killed_run_resumes_without_repeating_a_request(fake_api, make_case, tmp_path):
    folder = make_case()
    fake_api.script = ping_session(bash=True)
    fake_api.hold_after = 4  # sample 0's three turns and sample 1's first; then hang
    out = tmp_path / "reports"
    command = [
        sys.executable, "-m", "evals", "run", "--provider", "anthropic",
        "--cases", str(folder.parent), "--samples", "2", "--concurrency", "1",
        "--workers", "1", "--out", str(out), "-q",
    ]  # fmt: skip
    child = subprocess.Popen(
        command,
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert fake_api.held.wait(timeout=60), "the run never reached the held request"
        results = lambda: list(out.glob("*/results.jsonl"))  # noqa: E731
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
            results() and results()[0].read_text().count("\n") == 1
        ):
            time.sleep(0.2)
    finally:
        os.killpg(child.pid, signal.SIGKILL)  # the harness dies mid-sample, as in a crash
        child.wait(timeout=30)
    fake_api.hold_after = None
    fake_api.release.set()
    (run_dir,) = out.iterdir()
    assert len(RunStore.open(run_dir).results()) == 1

    run(RunOptions(cases_dir=folder.parent, resume=run_dir, quiet=True, workers=1))
    rows = RunStore.open(run_dir).results()
    assert sorted(r.sample for r in rows) == [0, 1] and all(r.passed for r in rows)
    assert len(fake_api.served) == 2 * 3  # not one request answered twice
    # The held request was sent and never answered: the API may have billed it; it is counted.
    info = RunStore.open(run_dir).read_info()
    assert [i.outcome for i in info.invocations] == ["running", "complete"]
    assert info.invocations[1].resent == 1 and info.resent == 1


def test_batch_mode_gives_the_same_results_as_the_interactive_mode(
    fake_api, make_case, tmp_path, monkeypatch
):
    folder = make_case()
    fake_api.script = ping_session()
    interactive = run_fake(folder.parent, tmp_path / "reports", samples=2)
    monkeypatch.setenv("EVALS_CACHE_DIR", str(tmp_path / "batch-cache"))
    batched = run_fake(folder.parent, tmp_path / "reports", samples=2, batch=True)

    assert len(fake_api.batches) == 2 and fake_api.attempts == 4
    a = sorted(interactive.results(), key=lambda r: r.sample)
    b = sorted(batched.results(), key=lambda r: r.sample)
    assert [(r.passed, r.score, r.turns, r.stop) for r in a] == [
        (r.passed, r.score, r.turns, r.stop) for r in b
    ]
    for row in b:
        expected = models.cost_usd(MODEL, row.usage, batch=True)
        assert row.cost_usd == pytest.approx(expected, abs=1e-6)  # rounded to 6 places
    for row_a, row_b in zip(a, b, strict=True):
        ta = interactive.read_transcript(interactive.layout.sample_at(row_a.sample_dir))
        tb = batched.read_transcript(batched.layout.sample_at(row_b.sample_dir))
        assert ta.messages == tb.messages
