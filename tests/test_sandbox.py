"""The sandbox on this machine: bounded, isolated, leaving nothing behind.

Most checks run at both real levels: bubblewrap, and the unshare + setpriv fallback used
where bubblewrap cannot run.
"""

import os
import secrets
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from leftovers import survivors, survivors_after

from evals.execute import sandbox as sb

# Containment is timed (limits are watched while code runs): these run alone, after the
# parallel part of `make test`, so another test's load cannot change what they measure.
pytestmark = pytest.mark.serial


@pytest.fixture(scope="module", params=["bwrap", "unshare"])
def level(request):
    if reason := sb.probe(request.param):
        if request.param == "bwrap":
            pytest.fail(f"bubblewrap must work here (CI installs it): {reason}")
        pytest.skip(f"{request.param} is unavailable here: {reason}")
    return request.param


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


def test_bubblewrap_is_the_level_chosen_here():
    # CI installs bubblewrap; anything weaker here means the set-up regressed.
    assert sb.choose_level("auto") == "bwrap"


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


def test_a_killed_harness_takes_its_sandbox_along(level, tmp_path):
    """kill -9 of the harness: no process of the sandbox lives on to its time limit."""
    token = secrets.token_hex(6)
    harness = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from evals.execute import sandbox as sb

        work = Path({str(tmp_path)!r})
        sb.Sandbox({level!r}).run(
            [sys.executable, "-c", "import time; time.sleep(600)", "sleeper-{token}"],
            cwd=work, mounts=[sb.Mount(work, writable=True)],
            limits=sb.Limits(timeout_s=300), log_dir=work / "log",
        )
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", harness])
    deadline = time.monotonic() + 60
    while not any("sleeper" in s for s in survivors([token])):
        assert proc.poll() is None and time.monotonic() < deadline, "the sandbox never started"
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    assert survivors_after([token], grace_s=5) == []


def test_a_harness_killed_while_its_sandbox_starts_leaves_nothing(level, tmp_path):
    """The gap parent-death signals leave: the harness dies while bwrap/unshare set up."""
    token = secrets.token_hex(6)
    harness = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from evals.execute import sandbox as sb

        work = Path({str(tmp_path)!r})
        box = sb.Sandbox({level!r})
        print("starting", flush=True)
        box.run(
            [sys.executable, "-c", "import time; time.sleep(600)", "starter-{token}"],
            cwd=work, mounts=[sb.Mount(work, writable=True)],
            limits=sb.Limits(timeout_s=300), log_dir=work / "log",
        )
        """
    )
    for delay in (0.0, 0.002, 0.005, 0.01, 0.02, 0.05):
        proc = subprocess.Popen([sys.executable, "-c", harness], stdout=subprocess.PIPE)
        assert proc.stdout is not None and proc.stdout.readline() == b"starting\n"
        time.sleep(delay)
        proc.kill()
        proc.wait()
    assert survivors_after([token], grace_s=5) == []


def test_processes_that_hide_from_proc_are_still_found_and_stopped(level, tmp_path):
    """A non-dumpable process (its /proc files turn root's) is still counted as its uid's,
    and stop_all (what an interrupted run calls) ends the sandbox at once."""
    token = secrets.token_hex(6)
    code = (
        "import ctypes, time\n"
        "ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE\n"
        "time.sleep(600)\n"
    )
    results = []
    thread = threading.Thread(
        daemon=True,
        target=lambda: results.append(
            sb.Sandbox(level).run(
                [sys.executable, "-c", code, f"hider-{token}"],
                cwd=tmp_path,
                mounts=[sb.Mount(tmp_path, writable=True)],
                limits=sb.Limits(timeout_s=300),
                log_dir=tmp_path / "log",
            )
        ),
    )
    thread.start()
    deadline = time.monotonic() + 60
    while not (found := [s for s in survivors([token]) if "import ctypes" in s]):
        assert time.monotonic() < deadline, "the sandbox never started"
        time.sleep(0.05)
    pid = int(found[-1].split(":")[0])
    status = Path(f"/proc/{pid}/status")
    while status.stat().st_uid != 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # until it has made itself non-dumpable
    uid = int(status.read_text().split("\nUid:")[1].split()[0])
    if os.geteuid() == 0:
        assert uid in sb.UID_RANGE and pid in sb._processes_of(uid)
    started = time.monotonic()
    sb.stop_all()
    thread.join(timeout=30)
    assert not thread.is_alive() and time.monotonic() - started < 15
    assert results[0].returncode != 0 and not results[0].timed_out
    assert survivors([token]) == []


def test_a_run_that_fills_its_folders_is_killed(level, tmp_path):
    code = (
        "chunk = b'x' * (1024 * 1024)\n"
        "for n in range(400):\n"
        "    with open(f'fill-{n}.bin', 'wb') as f:\n"
        "        for _ in range(4):\n"
        "            f.write(chunk)\n"
        "print('wrote everything')\n"
    )
    result = run(level, tmp_path, code, disk_mb=64)
    assert result.exceeded == "disk" and "wrote everything" not in result.stdout
    assert sum(p.stat().st_size for p in tmp_path.glob("fill-*")) < 400 * 1024 * 1024


def test_private_tmp_is_small_and_in_ram(tmp_path):
    if sb.probe("bwrap") or not sb._bwrap_has_size():
        pytest.skip("needs bubblewrap >= 0.6")
    code = (
        "import errno\n"
        "total = 0\n"
        "try:\n"
        "    for n in range(20):\n"
        "        with open(f'/tmp/fill-{n}', 'wb') as f:\n"
        "            for _ in range(32):\n"
        "                total += f.write(b'x' * 1024 * 1024)\n"
        "except OSError as e:\n"
        "    print(errno.errorcode[e.errno], total // 2**20)\n"
    )
    result = run("bwrap", tmp_path, code, tmpfs_mb=64)
    name, megabytes = result.stdout.split()
    assert name == "ENOSPC" and int(megabytes) <= 64


def test_output_beyond_its_cap_stops_the_writer(level, tmp_path):
    code = (
        "import sys\n"
        "try:\n"
        "    for _ in range(1024):\n"
        "        sys.stdout.write('x' * 1024 * 1024)\n"
        "except OSError as e:\n"
        "    sys.stderr.write(f'stopped: {e.errno}')\n"
    )
    result = run(level, tmp_path, code, fsize_mb=8)
    assert "stopped: 27" in result.stderr  # EFBIG
    assert (tmp_path / "log" / "stdout.txt").stat().st_size <= 8 * 1024 * 1024
    assert len(result.stdout) < 30_000


def test_unshare_level_drops_to_a_non_root_uid_without_capabilities(tmp_path):
    if os.geteuid() != 0 or sb.probe("unshare"):
        pytest.skip("the uid drop is done when the harness runs as root")
    code = (
        "import os\n"
        "status = open('/proc/self/status').read()\n"
        "caps = [l.split()[1] for l in status.splitlines() if l.startswith('Cap')]\n"
        "nnp = [l.split()[1] for l in status.splitlines() if l.startswith('NoNewPrivs')]\n"
        "print(os.getuid(), set(caps), nnp, os.getpid())\n"
    )
    uid, caps, nnp, pid = run("unshare", tmp_path, code).stdout.split(maxsplit=3)
    assert int(uid) in sb.UID_RANGE and caps == "{'0000000000000000'}" and "1" in nnp
    assert int(pid) < 10  # its own PID namespace, under the namespace's watcher


def test_signals_cannot_reach_the_harness(level, tmp_path):
    code = (
        "import os, signal\n"
        "if os.getuid() == 0:\n"  # never kill(-1) as root: that would take the machine down
        "    raise SystemExit('running as root')\n"
        "for pid in (-1, 1, os.getppid()):\n"
        "    try:\n"
        "        os.kill(pid, signal.SIGKILL)\n"
        "    except OSError:\n"
        "        pass\n"
        "print('still here')\n"
    )
    result = run(level, tmp_path, code)
    assert "running as root" not in result.stderr
    assert result.stdout.strip() == "still here"
    # Reaching this line is the rest of the test: the harness was not killed.


def test_without_any_sandbox_generated_code_is_refused_unless_unsafe_local(monkeypatch):
    monkeypatch.setattr(sb, "probe", lambda level: None if level == "none" else "not here")
    with pytest.raises(sb.SandboxError, match="--unsafe-local"):
        sb.choose_level("auto")
    assert sb.choose_level("auto", allow_unsafe=True) == "none"
    with pytest.raises(sb.SandboxError, match="unavailable"):
        sb.choose_level("bwrap", allow_unsafe=True)
