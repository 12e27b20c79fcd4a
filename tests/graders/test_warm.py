"""Warm grading: the same verdicts as fresh mode, and no isolation given up for the speed.

One warm pool serves the whole module (a worker takes seconds to import the stack); each
test grades a few samples through it and, where a verdict is at stake, through fresh mode
too. Hostile samples report what they could reach through their own hidden test: the test
passes only if the isolation held.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from evals.cases import REFERENCE, Case, Variant, load_case
from evals.config import DEFAULT_CASES
from evals.execute import Executor
from evals.execute import sandbox as sb
from evals.execute.warm_pool import WarmExecutor, shadowed_modules, unsupported_reason
from evals.grade import grade_workspace
from evals.workspace import Workspace
from graders.base import GradeContext

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or sb.probe("bwrap") is not None,
    reason="warm workers need bwrap run by root (CI and our machines have both)",
)

PING_TESTS = textwrap.dedent(
    """
    import pytest


    @pytest.mark.rule("api-design")
    def test_ping_answers_ok(client):
        response = client.get("/api/v1/ping")
        assert response.status_code == 200, response.text
        assert response.json() == {"status": "ok"}
    """
)
TOML = """
id = "{id}"
title = "Ping"
kind = "create"
difficulty = "easy"
tags = ["api-design"]
entrypoint = "app.main:app"

[limits]
timeout_s = {timeout}
{mutants}
"""


def app_reporting(check: str) -> str:
    """A ping app whose answer is "ok" only if ``check`` (code setting ``problems``) found
    nothing; otherwise the body names what leaked, so the test's message says it."""
    body = textwrap.indent(textwrap.dedent(check), "    ")
    return (
        "import os, signal, subprocess, sys, time\n"
        "from fastapi import FastAPI\n\n"
        "problems = []\n"
        "try:\n"
        f"{body}\n"
        "except Exception as exc:\n"
        "    problems.append(f'check crashed: {exc!r}')\n\n"
        "app = FastAPI()\n\n\n"
        "@app.get('/api/v1/ping')\n"
        "def ping() -> dict:\n"
        "    return {'status': 'ok'} if not problems else {'status': problems}\n"
    )


def write_case(
    root: Path, case_id: str, mutants: dict[str, str], timeout: int = 20, tests: str = PING_TESTS
) -> Case:
    folder = root / case_id
    tables = "".join(
        f'\n[mutants.{name}]\nmust_fail = ["test_ping_answers_ok"]\n' for name in mutants
    )
    files = {
        "case.toml": TOML.format(id=case_id, timeout=timeout, mutants=tables),
        "prompt.md": "Build a ping endpoint.\n",
        "tests/test_ping.py": tests,
        "reference/app/__init__.py": "",
        "reference/app/main.py": app_reporting("pass"),
        **{f"mutants/{name}/app/main.py": code for name, code in mutants.items()},
    }
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    return load_case(folder)


def workspace_of(case: Case, variant: Variant, root: Path) -> Path:
    path = root / "samples" / case.id / variant.label
    Workspace.create(path, case.workspace)
    Workspace.create(path, case.solution_overlay(variant))
    return path


def verdict(grades: dict) -> dict:
    return {
        name: (g.passed, round(g.score, 4), g.infra_error, [(t.id, t.outcome) for t in g.tests])
        for name, g in grades.items()
    }


def messages(grades: dict) -> dict:
    return {name: [(t.id, t.message) for t in g.tests] for name, g in grades.items()}


def grade(case: Case, variant: Variant, workspace: Path, executor, root: Path) -> dict:
    grades, _ = grade_workspace(
        case, variant, workspace, root / "grades" / executor.mode / variant.label, executor
    )
    return grades


@pytest.fixture(scope="module")
def warm() -> WarmExecutor:
    executor = WarmExecutor(sb.Sandbox("bwrap"))
    executor.start(1)
    yield executor
    executor.close()


@pytest.fixture(scope="module")
def fresh() -> Executor:
    return Executor(sb.Sandbox("bwrap"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path


def test_warm_verdicts_equal_fresh_verdicts_on_golden_samples(warm, fresh, root):
    picks = {
        "crud-pagination": ["reference", "mutant-delete-returns-200"],
        # argon2 via pwdlib (cheap hashing in tests) and the password-storage scan
        "user-registration": ["alternative-sync-argon2", "mutant-plaintext-password"],
    }
    for case_id, labels in picks.items():
        case = load_case(DEFAULT_CASES / case_id)
        for label in labels:
            variant = Variant.parse(label)
            workspace = workspace_of(case, variant, root)
            expected = grade(case, variant, workspace, fresh, root)
            got = grade(case, variant, workspace, warm, root)
            assert verdict(got) == verdict(expected), label
            # The messages too: warm children run pytest's cached rewrite of the hidden tests.
            assert messages(got) == messages(expected), label
    assert not warm.stats.fallbacks


HOSTILE = {
    # Each ends the process its own way before or while the suite runs.
    "exits-at-import": "import os\nos._exit(0)\n",
    "non-daemon-thread": (
        "import threading, time\n"
        "threading.Thread(target=lambda: time.sleep(3600)).start()\n"
        "from fastapi import FastAPI\napp = FastAPI()\n\n\n"
        "@app.get('/api/v1/ping')\ndef ping() -> dict:\n    return {'status': 'ok'}\n"
    ),
    "sys-exit-in-endpoint": (
        "import sys\nfrom fastapi import FastAPI\napp = FastAPI()\n\n\n"
        "@app.get('/api/v1/ping')\ndef ping() -> dict:\n    sys.exit(3)\n"
    ),
    # (kill(-1) is in the isolation test below: whether it raises depends on which processes
    # of other uids share the namespace, an implementation detail of each mode's sandbox.)
}


def test_hostile_samples_get_fresh_mode_verdicts(warm, fresh, root):
    case = write_case(root / "cases", "hostile", HOSTILE, timeout=15)
    for variant in case.variants():
        workspace = workspace_of(case, variant, root)
        expected = verdict(grade(case, variant, workspace, fresh, root))
        assert verdict(grade(case, variant, workspace, warm, root)) == expected, variant.label


LEAVES_A_MESS = """
# An attempt to kill everything it can see, a daemon in its own session, a file in /tmp.
os.kill(-1, signal.SIGKILL)
if os.fork() == 0:
    os.setsid()
    while True:
        open('/tmp/evals-warm-daemon', 'w').write(str(os.getpid()))
        time.sleep(0.05)
open('/tmp/evals-warm-marker', 'w').write('left by the previous sample')
"""
CHECKS_ISOLATION = """
if os.getuid() == 0 or os.geteuid() == 0:
    problems.append('runs as root')
status = dict(line.split(':', 1) for line in open('/proc/self/status') if ':' in line)
if int(status['CapEff'], 16) or int(status['CapPrm'], 16) or status['NoNewPrivs'].strip() != '1':
    problems.append('kept capabilities or may gain privileges')
for name in ('evals-warm-marker', 'evals-warm-daemon'):
    if os.path.exists('/tmp/' + name):
        problems.append('/tmp/' + name + ' survived from the previous sample')
me = os.getpid()
for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()]:
    if pid in (1, me):
        continue
    try:
        uid = os.stat(f'/proc/{pid}').st_uid
        os.kill(pid, 0)
    except (PermissionError, ProcessLookupError):
        continue  # the worker's server: another uid, out of reach
    if uid == os.getuid():
        problems.append(f'process {pid} of the previous sample is alive')
    else:
        problems.append(f'can signal process {pid} (uid {uid})')
for pid in (1, os.getppid()):
    try:
        open(f'/proc/{pid}/environ', 'rb').read()
        problems.append(f'read /proc/{pid}/environ')
    except OSError:
        pass
if any('sk-ant' in v for v in os.environ.values()):
    problems.append('an API key is in the environment')
import socket
try:
    socket.create_connection(('1.1.1.1', 80), timeout=2)
    problems.append('reached the network')
except OSError:
    pass
"""


def test_a_sample_reaches_neither_the_worker_nor_the_next_sample(warm, root, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-secret-of-the-harness")
    case = write_case(
        root / "cases",
        "isolation",
        {"mess": app_reporting(LEAVES_A_MESS), "checks": app_reporting(CHECKS_ISOLATION)},
    )
    started = warm.stats.workers_started
    mess, checks = Variant("mutant", "mess"), Variant("mutant", "checks")
    grade(case, mess, workspace_of(case, mess, root), warm, root)
    grades = grade(case, checks, workspace_of(case, checks, root), warm, root)
    tests = grades["tests"]
    assert tests.passed, [t.message for t in tests.tests]
    # The same worker served both: the sample could not kill it, and it came out clean.
    assert warm.stats.workers_started == started
    assert warm.stats.workers_replaced == 0


LEAVES_SHM = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
if libc.shmget(0, 4096, 0o1000 | 0o600) < 0:  # IPC_PRIVATE, IPC_CREAT: outlives the process
    problems.append(f'shmget failed: errno {ctypes.get_errno()}')
"""
LEAVES_QUEUE = "open('/dev/mqueue/evals-warm-queue', 'w').close()\n"


@pytest.mark.parametrize("leftover", [LEAVES_SHM, LEAVES_QUEUE], ids=["sysv-shm", "mqueue"])
def test_a_worker_left_with_ipc_objects_is_replaced(warm, root, leftover):
    case = write_case(root / "cases", "ipc", {"ipc": app_reporting(leftover)})
    variant = Variant("mutant", "ipc")
    replaced = warm.stats.workers_replaced
    grades = grade(case, variant, workspace_of(case, variant, root), warm, root)
    assert grades["tests"].passed, [t.message for t in grades["tests"].tests]
    assert warm.stats.workers_replaced == replaced + 1
    # The next sample gets a new, clean worker.
    assert grade(case, REFERENCE, workspace_of(case, REFERENCE, root), warm, root)["tests"].passed


def test_a_timeout_keeps_the_results_that_finished(warm, root):
    tests = PING_TESTS + textwrap.dedent(
        """

        @pytest.mark.rule("api-design")
        def test_zz_slow(client):
            client.get("/api/v1/slow")
        """
    )
    slow_app = (
        "import time\nfrom fastapi import FastAPI\napp = FastAPI()\n\n\n"
        "@app.get('/api/v1/ping')\ndef ping() -> dict:\n    return {'status': 'ok'}\n\n\n"
        "@app.get('/api/v1/slow')\ndef slow() -> dict:\n    time.sleep(3600)\n    return {}\n"
    )
    case = write_case(root / "cases", "slow", {"sleeps": slow_app}, timeout=5, tests=tests)
    variant = Variant("mutant", "sleeps")
    started = time.monotonic()
    grades = grade(case, variant, workspace_of(case, variant, root), warm, root)
    assert time.monotonic() - started < 30
    outcomes = {t.id: t.outcome for t in grades["tests"].tests}
    assert outcomes == {"test_ping_answers_ok": "passed", "test_zz_slow": "missing"}
    assert "time limit" in grades["tests"].details


def test_a_warm_child_runs_on_the_one_core_its_worker_was_given(warm, fresh, root):
    check = (
        "cores = sorted(os.sched_getaffinity(0))\n"
        "if len(cores) != 1:\n"
        "    problems.append(f'runs on cores {cores}')\n"
    )
    case = write_case(root / "cases", "pinned", {"affinity": app_reporting(check)})
    variant = Variant.parse("mutant-affinity")
    workspace = workspace_of(case, variant, root)
    tests = grade(case, variant, workspace, warm, root)["tests"]
    assert tests.passed, [(t.outcome, t.message) for t in tests.tests]
    if len(os.sched_getaffinity(0)) > 1:  # the check can fail: fresh mode does not pin
        assert not grade(case, variant, workspace, fresh, root)["tests"].passed


def test_a_workspace_module_shadowing_the_stack_is_graded_fresh(warm, root):
    case = write_case(root / "cases", "shadow", {})
    workspace = workspace_of(case, REFERENCE, root)
    (workspace / "jwt.py").write_text("TOKEN = 'a local module named like PyJWT'\n")
    assert shadowed_modules(workspace, frozenset({"jwt", "fastapi"})) == ["jwt"]
    before = sum(warm.stats.fallbacks.values())
    grades = grade(case, REFERENCE, workspace, warm, root)
    assert grades["tests"].passed
    assert sum(warm.stats.fallbacks.values()) == before + 1


def test_closing_the_pool_stops_a_busy_job_without_grading_it_fresh(root):
    slow_import = "import time\ntime.sleep(3600)\n"
    case = write_case(root / "cases", "stuck", {"stuck": slow_import}, timeout=60)
    variant = Variant("mutant", "stuck")
    workspace = workspace_of(case, variant, root)
    executor = WarmExecutor(sb.Sandbox("bwrap"))
    executor.start(1)
    results = []
    ctx = GradeContext(case, variant, workspace, root / "grades" / "stuck", executor)
    thread = threading.Thread(target=lambda: results.append(executor.execute(ctx)))
    thread.start()
    time.sleep(2)
    started = time.monotonic()
    executor.close()
    thread.join(timeout=30)
    assert not thread.is_alive() and time.monotonic() - started < 30
    assert results[0].infra_error and "interrupted" in results[0].infra_error
    assert not executor.stats.fallbacks


def test_a_killed_harness_takes_its_warm_workers_along():
    harness = textwrap.dedent(
        """
        import time
        from evals.execute import sandbox as sb
        from evals.execute.warm_pool import WarmExecutor

        executor = WarmExecutor(sb.Sandbox("bwrap"))
        executor.start(1)
        pair = executor._idle[0]
        print(pair.app.root, pair.judge.root, flush=True)
        time.sleep(600)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", harness], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        roots = [root.encode() for root in proc.stdout.readline().split()]
        assert len(roots) == 2 and all(_processes_mentioning(root) for root in roots)
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 10
    while any(_processes_mentioning(r) for r in roots) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [_processes_mentioning(root) for root in roots] == [[], []]


def _processes_mentioning(text: bytes) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if text in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_warm_mode_declines_sandboxes_it_cannot_split_by_uid():
    assert "bwrap" in (unsupported_reason(sb.Sandbox("unshare")) or "")
    assert unsupported_reason(sb.Sandbox("bwrap")) is None
