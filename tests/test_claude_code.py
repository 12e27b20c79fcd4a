"""``--provider claude-code`` end to end: the real Claude Code CLI (the ``claude-code``
extra) in the sample's bwrap sandbox, talking only to the harness's proxy on a unix socket,
the proxy talking to the fake Messages API on loopback. Every test runs the CLI for real; the
fake plays the subagent's model (the proxy answers the parent itself)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fakes import Failure, Reply, by_turn, text, tool_use
from fakes.fixtures import fake_api
from fakes.sessions import PING_APP
from leftovers import survivors_after

from evals import models
from evals.cases import load_case
from evals.config import ROOT, RunOptions
from evals.errors import UsageError
from evals.prompt import render_task
from evals.providers.claude_code import cli
from evals.providers.claude_code.exchanges import LOG_NAME, ExchangeLog
from evals.report import write_report
from evals.runner import run
from evals.store import RunStore

__all__ = ["fake_api"]
MODEL = models.resolve("sonnet")
TEST_KEY = "sk-ant-fake-key-for-tests"
VERSION = cli.version(cli.bundled_cli())


def run_cc(cases_dir: Path, out: Path, **options) -> RunStore:
    defaults = {"provider": "claude-code", "quiet": True, "workers": 1}
    return RunStore.open(run(RunOptions(cases_dir=cases_dir, out=out, **{**defaults, **options})))


def exchanges(store: RunStore, case: str = "ping", sample: str = "agent-0"):
    return ExchangeLog.read(store.layout.sample(case, sample).engine("claude-code") / LOG_NAME)


def bash(command: str, tool_id: str) -> Reply:
    return Reply(
        [tool_use("Bash", {"command": command, "description": "run"}, tool_id)], "tool_use"
    )


def result_text(body: dict, tool_id: str) -> str:
    for message in body["messages"]:
        for block in message["content"] if isinstance(message["content"], list) else []:
            if block.get("type") == "tool_result" and block["tool_use_id"] == tool_id:
                content = block["content"]
                return content if isinstance(content, str) else json.dumps(content)
    raise AssertionError(f"no result for {tool_id}")


def request_key(body: dict) -> str:
    return json.dumps(
        {k: v for k, v in body.items() if k not in ("metadata", "stream")}, sort_keys=True
    )


PROBE = (
    "env | sort; echo ---; cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | sort -u; "
    "echo ---; python -c \"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=2)\"; "
    "echo made-by-bash > /workspace/bash.txt"
)


def test_the_subagent_gets_the_task_verbatim_and_what_it_writes_is_graded(
    fake_api, make_case, tmp_path
):
    folder = make_case()
    draft = PING_APP.replace("app = FastAPI()", "app = None  # draft")
    port = fake_api.url.rsplit(":", 1)[1]
    fake_api.script = by_turn(
        [
            Reply([text("Writing."), tool_use("Write", {"file_path": "/workspace/app/__init__.py", "content": ""}, "w0"),
                   tool_use("Write", {"file_path": "/workspace/app/main.py", "content": draft}, "w1")], "tool_use"),
            Reply([tool_use("Edit", {"file_path": "/workspace/app/main.py", "old_string": "app = None  # draft",
                                     "new_string": "app = FastAPI()"}, "e0")], "tool_use"),
            bash(PROBE.format(port=port), "b0"),
            Reply([tool_use("Read", {"file_path": "/workspace/app/main.py"}, "r0")], "tool_use"),
            Reply([text("The ping endpoint is in /workspace/app/main.py.")]),
        ]
    )  # fmt: skip
    store = run_cc(folder.parent, tmp_path / "reports")

    (row,) = store.results()
    assert row.passed and row.stop == "end_turn" and row.infra_error is None, row
    workspace = store.layout.sample("ping", "agent-0").workspace
    assert (workspace / "app" / "main.py").read_text() == PING_APP  # Write, then Edit
    assert (workspace / "bash.txt").read_text() == "made-by-bash\n"  # Bash

    # Delegation: every model call is the subagent's, and its first user turn is the task.
    first = fake_api.served[0]
    task = render_task(load_case(folder))
    assert any(b.get("text") == task for b in first["messages"][0]["content"])
    system = " ".join(b["text"] for b in first["system"])
    assert "Build" not in system and "Claude agent" in system
    assert {"Agent", "Bash", "Edit", "Read", "Write"} <= {t["name"] for t in first["tools"]}
    assert first["model"] == MODEL and first["max_tokens"] > 8192
    # The real key reaches the API; the sandbox only ever held the placeholder.
    assert {h["x-api-key"] for h in fake_api.headers_seen} == {TEST_KEY}
    probe = result_text(fake_api.served[3], "b0")
    assert cli.PLACEHOLDER_KEY in probe and TEST_KEY not in json.dumps(fake_api.served)
    assert "Connection refused" in probe or "unreachable" in probe
    read = result_text(fake_api.served[4], "r0")
    assert "1\tfrom fastapi import FastAPI" in read  # Claude Code's own tool, its conventions

    # Tokens and cost are what the fake served, call by call.
    served = [r["usage"] for r in fake_api.replies]
    assert row.turns == len(served) == 5
    assert row.usage.output_tokens == sum(u["output_tokens"] for u in served)
    assert row.usage.cache_read_tokens == sum(u["cache_read_input_tokens"] for u in served)
    assert row.usage.input_tokens == sum(u["input_tokens"] for u in served)
    expected = sum(models.cost_usd(MODEL, store.read_transcript(store.layout.sample("ping", "agent-0")).turns[i].usage)
                   for i in range(len(served)))  # fmt: skip
    assert row.cost_usd == pytest.approx(expected, abs=1e-6) and row.cost_usd > 0
    log = exchanges(store)
    assert [e.side for e in log] == ["parent"] + ["subagent"] * 5 + ["parent"]
    assert [e.reply for e in log if e.side == "subagent"] == fake_api.replies

    # The transcript of record, the run's record of the engine, the report.
    transcript = store.read_transcript(store.layout.sample("ping", "agent-0"))
    assert transcript.engine == f"claude-code {VERSION}"
    assert [m.role for m in transcript.messages].count("assistant") == 5
    assert store.read_info().claude_code_version == VERSION
    html = write_report(store.root, folder.parent).read_text()
    assert f"Claude Code {VERSION}" in html and "Primary working directory: /workspace" in html


def test_the_turn_limit_stops_the_subagent(fake_api, make_case, tmp_path):
    folder = make_case()
    fake_api.script = lambda body: bash("true", f"t{len(body['messages'])}")
    store = run_cc(folder.parent, tmp_path / "reports", max_turns=2)
    (row,) = store.results()
    assert row.stop == "max_turns" and row.turns == 2 and len(fake_api.served) == 2


def test_the_cost_limit_stops_the_sample_and_leaves_it_for_resume(fake_api, make_case, tmp_path):
    folder = make_case()
    fake_api.script = lambda body: bash("true", f"t{len(body['messages'])}")
    store = run_cc(folder.parent, tmp_path / "reports", max_cost=0.000001)
    assert store.results() == []
    assert len(fake_api.served) == 1
    refused = [e for e in exchanges(store) if e.status == 400]
    assert refused and "cost limit" in (refused[0].error or "")
    assert store.read_transcript(store.layout.sample("ping", "agent-0")).stop == "cost_limit"
    # The same accounting as the harness's loop: the cap and the paid call in run.json.
    info = store.read_info()
    (inv,) = info.invocations
    assert info.max_cost == 0.000001 and inv.outcome == "incomplete"
    assert inv.requests == 1 and inv.cost_usd == pytest.approx(refused_cost(store), abs=1e-6)


def refused_cost(store) -> float:
    return sum(e.cost_usd for e in exchanges(store))


def test_a_bad_key_stops_a_claude_code_run_at_once(fake_api, make_case, tmp_path):
    from evals.errors import FatalProviderError

    folder = make_case()
    fake_api.fail_always = Failure(401, "authentication_error", "invalid x-api-key")
    with pytest.raises(FatalProviderError, match="invalid x-api-key"):
        run_cc(folder.parent, tmp_path / "reports", samples=2, concurrency=1)
    assert fake_api.attempts == 1
    (run_dir,) = (tmp_path / "reports").iterdir()
    store = RunStore.open(run_dir)
    assert store.results() == []
    assert store.read_info().invocations[0].outcome == "stopped"


ATTACK = r"""python - <<'EOF'
import json, socket
body = json.dumps({"model": "claude-sonnet-5-5", "max_tokens": 64, "stream": False,
                   "messages": [{"role": "user", "content": "spend"}]}).encode()
codes = []
for n in range(8):
    s = socket.socket(socket.AF_UNIX); s.connect("/evals/api.sock")
    s.sendall(b"POST /v1/messages HTTP/1.1\r\nhost: x\r\nx-claude-code-agent-id: evil%d\r\n"
              b"content-type: application/json\r\ncontent-length: %d\r\n\r\n" % (n, len(body)) + body)
    codes.append(s.recv(64).split()[1].decode()); s.close()
print("codes", codes)
EOF"""


def test_the_models_bash_cannot_spend_past_the_budget_through_the_socket(
    fake_api, make_case, tmp_path
):
    folder = make_case()
    fake_api.script = by_turn([bash(ATTACK, "a0"), Reply([text("done")])])
    limit = 0.02
    store = run_cc(folder.parent, tmp_path / "reports", max_cost=limit)
    log = exchanges(store)
    paid = [e for e in log if e.cost_usd > 0]
    spent = sum(e.cost_usd for e in paid)
    # One call may start below the limit and end above it; none may start after.
    assert spent - paid[-1].cost_usd < limit
    assert len(fake_api.served) == len(paid) < 9
    assert any("cost limit" in (e.error or "") for e in log)


def test_a_stream_cut_half_way_is_retried_and_the_sample_completes(fake_api, make_case, tmp_path):
    folder = make_case()
    fake_api.script = by_turn(
        [Reply([tool_use("Write", {"file_path": "/workspace/app/__init__.py", "content": ""}, "w0"),
                tool_use("Write", {"file_path": "/workspace/app/main.py", "content": PING_APP}, "w1")], "tool_use"),
         Reply([text("Done.")])]
    )  # fmt: skip
    fake_api.cut_streams = 1
    store = run_cc(folder.parent, tmp_path / "reports")
    (row,) = store.results()
    assert row.passed and fake_api.cut == 1
    first = next(e for e in exchanges(store) if e.side == "subagent")
    assert first.attempts == 2 and first.reply == fake_api.replies[1]


def test_rate_limits_and_overloads_are_retried(fake_api, make_case, tmp_path, monkeypatch):
    monkeypatch.setenv("EVALS_MAX_RETRIES", "3")
    folder = make_case()
    fake_api.failures.extend(
        [Failure(429, "rate_limit_error", headers={"retry-after": "0"}), Failure(529, "overloaded_error"),
         Failure(500)]
    )  # fmt: skip
    fake_api.script = by_turn([Reply([text("Nothing to do.")])])
    store = run_cc(folder.parent, tmp_path / "reports")
    (row,) = store.results()
    assert row.infra_error is None and row.stop == "end_turn"
    assert [e.attempts for e in exchanges(store) if e.side == "subagent"] == [4]


@pytest.mark.parametrize(
    ("failure", "attempts", "says"),
    [
        (Failure(529, "overloaded_error", "Overloaded"), 3, "529"),
        (
            Failure(400, "invalid_request_error", "Your credit balance is too low"),
            1,
            "credit balance",
        ),
    ],
    ids=["overloaded-after-retries", "exhausted-key"],
)
def test_an_api_that_keeps_failing_makes_an_infra_error(
    fake_api, make_case, tmp_path, failure, attempts, says
):
    folder = make_case()
    fake_api.fail_always = failure
    store = run_cc(folder.parent, tmp_path / "reports")
    (row,) = store.results()
    assert row.infra_error is not None and says in row.infra_error, row.infra_error
    assert fake_api.attempts == attempts  # EVALS_MAX_RETRIES=2 in the fixture; a 400 is final


def start(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "evals", *args], cwd=ROOT, env=os.environ.copy(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_run_resumes_without_repeating_a_request(fake_api, make_case, tmp_path, sig):
    folder = make_case()
    fake_api.script = by_turn(
        [bash("echo one", "b0"), bash("echo two", "b1"),
         Reply([tool_use("Write", {"file_path": "/workspace/app/__init__.py", "content": ""}, "w0"),
                tool_use("Write", {"file_path": "/workspace/app/main.py", "content": PING_APP}, "w1")], "tool_use"),
         Reply([text("Done.")])]
    )  # fmt: skip
    fake_api.hold_after = 2
    out = tmp_path / "reports"
    child = start(["run", "--provider", "claude-code", "--cases", str(folder.parent), "--workers", "1",
                   "--out", str(out), "-q"])  # fmt: skip
    assert fake_api.held.wait(timeout=90), "the run never reached the held request"
    if sig == signal.SIGKILL:
        os.killpg(child.pid, sig)
    else:
        child.send_signal(sig)
    try:
        _, err = child.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        pytest.fail(f"still running 30 s after {sig.name}")
    if sig == signal.SIGINT:
        assert child.returncode == 130 and "--resume" in err and "Traceback" not in err, err
    assert survivors_after([str(tmp_path)]) == []  # the CLI's sandbox died with the harness
    fake_api.hold_after = None
    fake_api.release.set()
    (run_dir,) = out.iterdir()
    before = len(fake_api.served)
    store = run_cc(folder.parent, out, resume=run_dir)
    (row,) = store.results()
    assert row.passed and row.turns == 4
    keys = [request_key(b) for b in fake_api.served]
    assert len(set(keys)) == len(keys), "a request was sent twice"
    assert before == 2 and len(fake_api.served) == 4
    assert [e.cached for e in exchanges(store) if e.side == "subagent"] == [
        True,
        True,
        False,
        False,
    ]


def test_what_claude_code_cannot_do_is_refused_before_anything_is_spent(
    make_case, tmp_path, monkeypatch
):
    from evals.execute.sandbox import Sandbox
    from evals.providers.claude_code import ClaudeCodeProvider

    folder = make_case()
    monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
    with pytest.raises(UsageError, match="cannot use Message Batches"):
        run_cc(folder.parent, tmp_path / "reports", batch=True)
    provider = ClaudeCodeProvider.create(RunOptions(quiet=True), _agent())
    with pytest.raises(UsageError, match="isolation 'unshare' cannot"):
        provider.prepare(Sandbox("unshare"))
    monkeypatch.setattr("importlib.util.find_spec", lambda name, *a: None)
    with pytest.raises(UsageError, match=r"needs the 'claude-code' extra.*pip install"):
        cli.bundled_cli()
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    monkeypatch.undo()
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    with pytest.raises(UsageError, match="needs ANTHROPIC_API_KEY"):
        ClaudeCodeProvider.create(RunOptions(quiet=True), _agent())
    assert not list((tmp_path / "reports").glob("*/results.jsonl"))


def test_auto_picks_claude_code_when_a_key_is_set_and_the_extra_is_installed(monkeypatch):
    from evals.providers import resolve_name

    monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
    assert resolve_name("auto") == "claude-code"
    monkeypatch.setattr("evals.providers.claude_code_installed", lambda: False)
    assert resolve_name("auto") == "anthropic"
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    assert resolve_name("auto") == "reference"


def _agent():
    from evals.agent import parse_agent_file
    from evals.config import DEFAULT_AGENT

    return parse_agent_file(DEFAULT_AGENT)


def test_a_claude_code_run_replays_through_our_own_loop_to_the_same_verdict(
    fake_api, make_case, tmp_path
):
    folder = make_case()
    fake_api.script = by_turn(
        [
            Reply([tool_use("Write", {"file_path": "/workspace/app/__init__.py", "content": ""}, "w0"),
                   tool_use("Write", {"file_path": "/workspace/app/main.py",
                                      "content": PING_APP.replace('"ok"', '"draft"')}, "w1")], "tool_use"),
            Reply([tool_use("Edit", {"file_path": "/workspace/app/main.py", "old_string": '"draft"',
                                     "new_string": '"ok"'}, "e0")], "tool_use"),
            Reply([text("Done.")]),
        ]
    )  # fmt: skip
    original = run_cc(folder.parent, tmp_path / "reports")
    calls = len(fake_api.served)
    replayed = RunStore.open(
        run(
            RunOptions(
                cases_dir=folder.parent, out=tmp_path / "replayed", provider="replay",
                replay_from=original.root, quiet=True, workers=1,
            )
        )
    )  # fmt: skip
    assert len(fake_api.served) == calls  # replaying calls no model
    (before,), (after,) = original.results(), replayed.results()
    assert before.passed and after.passed and before.score == after.score
    files = [
        (store.layout.sample("ping", "agent-0").workspace / "app" / "main.py").read_text()
        for store in (original, replayed)
    ]
    assert files[0] == files[1] == PING_APP
