"""The sandbox on this machine: bounded, isolated, leaving nothing behind."""

import os
import sys
import time

import pytest

from evals import sandbox as sb


@pytest.fixture(scope="module")
def level():
    return sb.choose_level("auto")


def run(level, tmp_path, code, **limits):
    box = sb.Sandbox(level)
    return box.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        mounts=[sb.Mount(tmp_path, writable=True)],
        env={"EXTRA": "given"},
        limits=sb.Limits(**{"timeout_s": 20, **limits}),
        log_dir=tmp_path / "log",
    )


def test_bubblewrap_is_the_level_chosen_here(level):
    # CI installs bubblewrap; anything weaker here means the set-up regressed.
    assert level == "bwrap"


def test_environment_is_scrubbed_of_secrets(level, tmp_path, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-secret-value")
    code = (
        "import os, glob\n"
        "found = [k for k in os.environ if 'KEY' in k or 'TOKEN' in k]\n"
        "leak = []\n"
        "for p in glob.glob('/proc/*/environ'):\n"
        "    try: leak.append(open(p, 'rb').read())\n"
        "    except OSError: pass\n"
        "print(found, os.environ.get('EXTRA'), any(b'sk-ant' in x for x in leak))\n"
    )
    result = run(level, tmp_path, code)
    assert result.stdout.strip() == "[] given False"


def test_wall_clock_timeout_kills_a_sleeping_child_and_its_daemon(level, tmp_path):
    code = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    open('daemon.pid', 'w').write(str(os.getpid()))\n"
        "    time.sleep(600)\n"
        "time.sleep(600)\n"
    )
    started = time.monotonic()
    result = run(level, tmp_path, code, timeout_s=2)
    assert result.timed_out
    assert time.monotonic() - started < 15
    assert result.uid is not None
    assert sb._processes_of(result.uid) == []


def test_no_network_inside(level, tmp_path):
    code = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 80), timeout=2); print('connected')\n"
        "except OSError as e: print('blocked', e.errno)\n"
    )
    assert run(level, tmp_path, code).stdout.startswith("blocked")


def test_runs_as_a_non_root_uid_that_cannot_touch_host_files(level, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("uid drop is only done when the harness runs as root")
    code = (
        "import os\n"
        "print(os.getuid())\n"
        "try:\n"
        "    open('/etc/evals-sandbox-probe', 'w'); print('wrote')\n"
        "except OSError: print('refused')\n"
    )
    out = run(level, tmp_path, code).stdout.split()
    assert out[0] != "0" and out[1] == "refused"


def test_memory_limit_stops_a_huge_allocation(level, tmp_path):
    result = run(level, tmp_path, "x = bytearray(50 * 1024**3)", memory_mb=512)
    assert result.returncode != 0
    assert "MemoryError" in result.stderr


def test_unsafe_level_needs_explicit_consent():
    with pytest.raises(sb.SandboxError, match="--unsafe-local"):
        sb.choose_level("none")
