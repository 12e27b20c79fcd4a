"""The agent's Bash tool runs in the same sandbox as grading: it sees no secret and no
network, writes nowhere but its workspace, and leaves nothing running."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from leftovers import survivors_after

from evals.bash_tool import make_bash_runner
from evals.config import ROOT
from evals.execute import sandbox as sb
from evals.workspace import Workspace

# Containment is timed (limits are watched while code runs): these run alone, after the
# parallel part of `make test`, so another test's load cannot change what they measure.
pytestmark = pytest.mark.serial


@pytest.fixture(scope="module")
def level() -> str:
    return sb.choose_level("auto")


@pytest.fixture
def bash(level: str, tmp_path: Path):
    workspace = Workspace.create(tmp_path / "sample" / "workspace", {"app/main.py": b"x = 1\n"})
    return make_bash_runner(sb.Sandbox(level), workspace), workspace


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    value = f"sk-ant-api03-{secrets.token_hex(16)}"
    monkeypatch.setenv("ANTHROPIC_API_KEY", value)
    # A host process with the key in its initial environment, as the harness has.
    holder = subprocess.Popen(
        ["sleep", "600"], env={**os.environ, "ANTHROPIC_API_KEY": value}, cwd="/"
    )
    yield value
    holder.kill()
    holder.wait()


def test_bash_sees_no_api_key(bash, secret):
    run_bash, _ = bash
    out = run_bash(
        "env; for f in /proc/*/environ /proc/*/cmdline; do cat $f 2>/dev/null; done "
        # A pattern that does not match itself (grep's own cmdline is in /proc too).
        "| tr '\\0' '\\n' | grep -c 'sk-ant-api03-[0-9a-f]\\{32\\}' ; echo done",
        30,
    )
    assert secret not in out and "sk-ant-api03-" not in out
    assert "\n0\ndone" in out, out


def test_bash_has_no_network(bash):
    run_bash, _ = bash
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    port = server.getsockname()[1]
    try:
        out = run_bash(
            f"(exec 3<>/dev/tcp/127.0.0.1/{port} && echo LOOPBACK) 2>/dev/null; "
            "(exec 3<>/dev/tcp/1.1.1.1/80 && echo INTERNET) 2>/dev/null; "
            "getent hosts example.com && echo DNS; echo done",
            30,
        )
        with pytest.raises(OSError):
            server.accept()
    finally:
        server.close()
    assert "done" in out
    assert "LOOPBACK" not in out and "INTERNET" not in out and "DNS" not in out, out


def test_bash_writes_only_inside_its_workspace(bash, tmp_path):
    run_bash, workspace = bash
    token = secrets.token_hex(6)
    outside = [
        Path(f"/tmp/evals-bash-{token}"),
        ROOT / f".evals-bash-{token}",
        Path(f"/etc/evals-bash-{token}"),
        Path(f"/root/.evals-bash-{token}"),
        tmp_path / "sample" / f"evals-bash-{token}",
    ]
    victim = ROOT / f".evals-victim-{token}"
    victim.write_text("precious")
    victim.chmod(0o666)
    try:
        script = "; ".join(f"echo x > {p} 2>/dev/null" for p in outside)
        out = run_bash(
            f"{script}; rm -f {victim} 2>/dev/null; echo inside > made-here.txt; "
            f"cat {ROOT}/pyproject.toml 2>/dev/null | head -1; pwd; ls /workspace/app",
            30,
        )
        assert [p for p in outside if p.exists()] == []
        assert victim.read_text() == "precious"
    finally:
        victim.unlink(missing_ok=True)
    assert (workspace.root / "made-here.txt").read_text() == "inside\n"
    assert "[project]" not in out  # the harness's checkout is not in view
    assert "/workspace\nmain.py" in out, out  # the agent sees its virtual root


def test_bash_cannot_leave_processes_behind(bash):
    run_bash, _ = bash
    token = secrets.token_hex(6)
    out = run_bash(
        f"setsid bash -c 'exec -a daemon-{token} sleep 600' & "
        f"nohup bash -c 'exec -a nohup-{token} sleep 600' >/dev/null 2>&1 & "
        ":(){ :|:& };: 2>/dev/null; sleep 600",
        3,
    )
    assert out.endswith("[timed out]"), out[-500:]
    assert survivors_after([token]) == []
