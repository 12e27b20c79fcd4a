"""Hostile generated code, through the real pipeline: every adversarial sample of
``../shared/SANDBOX.md`` ends safely, scored as a failure of that sample (or refused before
it runs), while the reference of the same run passes and nothing outlives the run.

One synthetic case holds every hostile program as a mutant, so a single run grades them all
side by side, as a real run would. Each program is also functionally wrong (it answers
"hostile" where the suite wants "ok"): only a trick that worked could make it pass. Whatever
a program manages that it should not, it prints as ``ESCAPED ...``, which the test looks for
in every log the run kept; secrets, marker files, victim files, sockets and daemons are
checked on the host afterwards.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from leftovers import survivors, survivors_after

from evals.cases import Variant, load_case
from evals.config import ROOT, RunOptions
from evals.execute import Executor
from evals.execute import sandbox as sb
from evals.grade import grade_workspace
from evals.providers.reference import ReferenceProvider
from evals.records import ToolUseBlock
from evals.runner import run
from evals.store import RunStore

# Containment is timed (limits are watched while code runs): these run alone, after the
# parallel part of `make test`, so another test's load cannot change what they measure.
pytestmark = pytest.mark.serial

TIMEOUT_S = 10

BROKEN_APP = textwrap.dedent(
    """
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/api/v1/ping")
    def ping() -> dict[str, str]:
        return {"status": "hostile"}
    """
)

REPORT = textwrap.dedent(
    """
    import os as _os


    def escaped(what):
        print("ESCAPED", what, flush=True)


    def as_non_root_only():
        # If the sandbox ever let this run as root, the test must fail, not take the
        # machine down with it.
        if _os.getuid() == 0:
            escaped("runs as root")
            raise SystemExit(3)
    """
)

# name -> the hostile part of app/main.py (BROKEN_APP follows it unless it defines app).
HOSTILE = {
    "loop-at-import": "while True:\n    pass\n",
    "loop-in-endpoint": textwrap.dedent(
        """
        from fastapi import FastAPI

        app = FastAPI()


        @app.get("/api/v1/ping")
        def ping():
            while True:
                pass
        """
    ),
    "sleeps-forever": "import time\n\ntime.sleep(10**6)\n",
    "allocates-50gb": "blob = bytearray(50 * 1024**3)\n",
    "fork-bomb": textwrap.dedent(
        """
        import os

        while True:
            try:
                os.fork()
            except OSError:
                pass
        """
    ),
    "thread-bomb": textwrap.dedent(
        """
        import threading
        import time

        threads = []
        while True:
            thread = threading.Thread(target=time.sleep, args=(10**6,))
            thread.start()
            threads.append(thread)
        """
    ),
    "writes-10gb-file": textwrap.dedent(
        """
        chunk = b"\\0" * (1024 * 1024)
        with open("big.bin", "wb") as handle:
            for _ in range(10 * 1024):
                handle.write(chunk)
        """
    ),
    "fills-disk-with-capped-files": textwrap.dedent(
        """
        chunk = b"\\1" * (1024 * 1024)
        in_tmp = 0
        for n in range(8):  # the private /tmp is a bounded tmpfs (RAM)
            try:
                with open(f"/tmp/fill-{n}.bin", "wb") as handle:
                    for _ in range(64):
                        handle.write(chunk)
                        in_tmp += len(chunk)
            except OSError:
                pass
        if in_tmp > 300 * 1024 * 1024:
            escaped(f"wrote {in_tmp} bytes to /tmp")
        for n in range(64):  # each file stops at RLIMIT_FSIZE; the watchdog stops the sum
            try:
                with open(f"fill-{n}.bin", "wb") as handle:
                    for _ in range(64):
                        handle.write(chunk)
            except OSError:
                pass
        escaped("wrote 4 GB to the sample's folder")
        """
    ),
    "floods-stdout": textwrap.dedent(
        """
        import sys

        line = "x" * 1023 + "\\n"
        for _ in range(1024 * 1024):
            sys.stdout.write(line)
        escaped("wrote 1 GB to stdout")
        """
    ),
    "steals-keys": textwrap.dedent(
        """
        import glob
        import os

        PREFIX = "sk-ant-"  # the key itself is not in this file: only a leak can show it
        for key, value in os.environ.items():
            if PREFIX in value or "ANTHROPIC" in key:
                escaped(f"env {key}={value}")
        for path in glob.glob("/proc/*/environ") + glob.glob("/proc/*/cmdline"):
            try:
                data = open(path, "rb").read()
            except OSError:
                continue
            if PREFIX.encode() in data:
                at = data.index(PREFIX.encode())
                escaped(f"{path}: {data[at:at + 80]!r}")
        for path in ["@ROOT@/pyproject.toml", "@ROOT@/.git/HEAD", "@CASE@/reference/app/main.py"]:
            try:
                escaped(f"read {path}: {open(path).read(80)!r}")
            except OSError:
                pass
        """
    ),
    "opens-sockets": textwrap.dedent(
        """
        import socket

        for address in [("1.1.1.1", 80), ("127.0.0.1", @PORT@)]:
            try:
                connection = socket.create_connection(address, timeout=2)
                connection.sendall(b"@TOKEN@")
                escaped(f"connected to {address}")
            except OSError:
                pass
        for path in ["@UNIX@", "\\0evals-@TOKEN@"]:
            try:
                connection = socket.socket(socket.AF_UNIX)
                connection.settimeout(2)
                connection.connect(path)
                connection.sendall(b"@TOKEN@")
                escaped(f"connected to {path!r}")
            except OSError:
                pass
        try:
            escaped(f"resolved {socket.getaddrinfo('example.com', 80)[:1]}")
        except OSError:
            pass
        """
    ),
    "deletes-host-files": textwrap.dedent(
        """
        import glob
        import os
        import shutil
        import sys

        as_non_root_only()
        for path in ["/tmp/evals-victim-@TOKEN@", "@ROOT@/.evals-victim-@TOKEN@",
                     "@CASE@/reference/app/main.py"]:
            try:
                os.remove(path)
                escaped(f"removed {path}")
            except OSError:
                pass
        hidden = os.environ.get("PYTHONPATH", "")
        for test in glob.glob(f"{hidden}/tests/*.py"):
            try:
                with open(test, "w") as handle:
                    handle.write("def test_ping_answers_ok():\\n    pass\\n")
                escaped(f"rewrote {test}")
            except OSError:
                pass
        for path in ["/tmp/evals-hostile-@TOKEN@", "@ROOT@/.evals-hostile-@TOKEN@",
                     "/root/.evals-hostile-@TOKEN@", "/etc/evals-hostile-@TOKEN@",
                     f"{sys.prefix}/evals-hostile-@TOKEN@"]:
            try:
                with open(path, "w") as handle:
                    handle.write("x")
            except OSError:
                pass
        try:
            shutil.rmtree(f"{sys.prefix}/lib")
            escaped("removed the interpreter's environment")
        except OSError:
            pass
        """
    ),
    "exits-at-import": "import sys\n\nsys.exit(0)\n",
    "os-exit-at-import": "import os\n\nos._exit(0)\n",
    "patches-pytest": textwrap.dedent(
        """
        from _pytest.reports import TestReport

        _original = TestReport.from_item_and_call.__func__


        def _always_passed(cls, item, call):
            report = _original(cls, item, call)
            report.outcome = "passed"
            report.longrepr = None
            return report


        TestReport.from_item_and_call = classmethod(_always_passed)
        """
    ),
    "forges-report": textwrap.dedent(
        """
        import ast
        import glob
        import hashlib
        import json
        import os
        import sys

        out = sys.argv[1] if len(sys.argv) > 1 else ""
        nonce = ""
        for path in [os.environ.get("EVALS_CANARY_FILE", ""), os.path.join(out, "canary")]:
            try:
                nonce = open(path).read().strip()
                escaped(f"read the nonce from {path}")
                break
            except OSError:
                pass
        ids = []
        for test in glob.glob(os.environ.get("PYTHONPATH", "") + "/tests/*.py"):
            tree = ast.parse(open(test).read())
            ids += [n.name for n in ast.walk(tree)
                    if isinstance(n, ast.FunctionDef) and n.name.startswith("test")]
        tag = hashlib.sha256(f"canary:{nonce}".encode()).hexdigest()[:16]
        events = [{"event": "start", "nonce": nonce},
                  {"event": "collected", "ids": ids, "rules": {}}]
        for test_id in ids:
            failing = test_id == "test_evals_canary_fail"
            events.append({"event": "test", "id": test_id, "when": "call",
                           "outcome": "failed" if failing else "passed",
                           "message": f"evals canary {tag}" if failing else "",
                           "duration": 0.01, "rules": [], "nonce": nonce})
        events.append({"event": "end", "exitstatus": 1, "nonce": nonce})
        report = os.environ.get("EVALS_REPORT") or os.path.join(out, "report.jsonl")
        with open(report, "a") as handle:
            handle.write("".join(json.dumps(e) + "\\n" for e in events))
        with open(os.path.join(out, "imports.jsonl"), "a") as handle:
            handle.write(json.dumps({"entrypoint": "app.main:app", "status": "ok",
                                     "nonce": nonce}) + "\\n")
        os._exit(1)
        """
    ),
    "segfaults": "import ctypes\n\nctypes.string_at(0)\n",
    "kills-everything": textwrap.dedent(
        """
        import os
        import signal

        as_non_root_only()
        for pid in (-1, 1, os.getppid()):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        """
    ),
    "recurses-unbounded": textwrap.dedent(
        """
        import sys

        sys.setrecursionlimit(10**8)


        def down(n):
            return down(n + 1) + 1


        down(0)
        """
    ),
    "recurses-in-endpoint": textwrap.dedent(
        """
        from fastapi import FastAPI

        app = FastAPI()


        def down(n):
            return down(n + 1) + 1


        @app.get("/api/v1/ping")
        def ping():
            return {"status": str(down(0))}
        """
    ),
    "reads-stdin": "name = input()\n",
    "non-daemon-thread": textwrap.dedent(
        """
        import threading
        import time


        def forever():
            while True:
                time.sleep(0.05)


        threading.Thread(target=forever).start()
        """
    ),
    "setsid-daemon": textwrap.dedent(
        """
        import os
        import sys

        DAEMON = '''
        import time
        for _ in range(1200):
            for path in ["@ROOT@/.evals-daemon-@TOKEN@", "/tmp/evals-daemon-@TOKEN@"]:
                try:
                    open(path, "w").write("alive")
                except OSError:
                    pass
            time.sleep(0.1)
        '''
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execv(sys.executable, [sys.executable, "-c", DAEMON, "evals-daemon-@TOKEN@"])
            os._exit(0)
        """
    ),
    # Refused before running: the files below never reach the grading copy, and the agent's
    # escaping paths are added to its Write calls (see escaping_writes).
    "writes-protected-files": "",
    "escapes-paths": "",
}

FORCE_PASS_CONFTEST = textwrap.dedent(
    """
    import pytest


    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(item, call):
        outcome = yield
        outcome.get_result().outcome = "passed"
    """
)
PROTECTED_OVERLAY = {
    "conftest.py": FORCE_PASS_CONFTEST,
    "app/conftest.py": FORCE_PASS_CONFTEST,
    "tests/test_ping.py": "def test_ping_answers_ok():\n    pass\n",
    "tests/conftest.py": FORCE_PASS_CONFTEST,
    "evil.pth": "import os; print('ESCAPED pth', flush=True)\n",
    "sitecustomize.py": "print('ESCAPED sitecustomize', flush=True)\n",
    "usercustomize.py": "print('ESCAPED usercustomize', flush=True)\n",
    "pytest.ini": "[pytest]\naddopts = -p conftest\n",
    "setup.cfg": "[tool:pytest]\naddopts = -p conftest\n",
    "tox.ini": "[pytest]\naddopts = -p conftest\n",
    "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-p conftest'\n",
    # Not protected by the Write tool, but never in the grading copy (evals_runtime) or
    # anywhere the judge imports from: importing them in the judge's process is the escape.
    "evals_runtime/__init__.py": "print('ESCAPED evals_runtime shadowed', flush=True)\n",
    "evals_runtime/judge.py": "print('ESCAPED judge shadowed', flush=True)\n",
    "evals_case_shim.py": "print('ESCAPED shim shadowed', flush=True)\n",
    "pytest.py": (
        "import os\n"
        "if os.environ.get('EVALS_SOCKET'):  # only the judge's environment has it\n"
        "    print('ESCAPED pytest shadowed', flush=True)\n"
    ),
}

MUST_TIME_OUT = {"loop-at-import", "loop-in-endpoint", "sleeps-forever"}
MUST_END_ON_ITS_OWN = {
    "exits-at-import", "os-exit-at-import", "segfaults", "reads-stdin", "non-daemon-thread",
    "setsid-daemon", "kills-everything", "patches-pytest", "forges-report", "allocates-50gb",
    "thread-bomb", "writes-10gb-file", "floods-stdout", "recurses-in-endpoint",
}  # fmt: skip


def escaping_paths(token: str) -> list[str]:
    return [
        f"../escape-{token}.py",
        f"../../escape-{token}.py",
        f"/workspace/../escape-{token}.py",
        f"app/../../escape-{token}.py",
        f"/tmp/evals-escape-{token}.py",
        f"{ROOT}/evals-escape-{token}.py",
        f"/etc/evals-escape-{token}.py",
        f"app/escape-{token}\0.py",
        "conftest.py",
        "tests/test_ping.py",
    ]


@pytest.fixture
def token() -> str:
    return secrets.token_hex(6)


@pytest.fixture
def loopback(token: str) -> Iterator[dict[str, object]]:
    """A TCP service on 127.0.0.1, a Unix socket in the host's /tmp and an abstract one."""
    seen: list[bytes] = []
    tcp = socket.create_server(("127.0.0.1", 0))
    unix_path = f"/tmp/evals-sock-{token}"
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(unix_path)
    os.chmod(unix_path, 0o777)  # only the sandbox's mounts can keep the sample away
    abstract = socket.socket(socket.AF_UNIX)
    abstract.bind(f"\0evals-{token}")
    servers = [tcp, unix, abstract]
    for server in servers:
        server.listen()
        server.settimeout(0.2)

    stop = threading.Event()

    def serve(server: socket.socket) -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                seen.append(connection.recv(100) or b"connected")

    threads = [threading.Thread(target=serve, args=(s,), daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    try:
        yield {"port": tcp.getsockname()[1], "unix": unix_path, "seen": seen}
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=2)
        for server in servers:
            server.close()
        Path(unix_path).unlink(missing_ok=True)


@pytest.fixture
def victims(token: str, tmp_path: Path) -> Iterator[list[Path]]:
    paths = [Path(f"/tmp/evals-victim-{token}"), ROOT / f".evals-victim-{token}"]
    for path in paths:
        path.write_text("precious")
        path.chmod(0o666)  # only the sandbox can keep the sample away
    yield paths
    for path in paths:
        path.unlink(missing_ok=True)


def markers_on_host(token: str) -> list[Path]:
    candidates = [
        Path(f"/tmp/evals-hostile-{token}"), ROOT / f".evals-hostile-{token}",
        Path(f"/root/.evals-hostile-{token}"), Path(f"/etc/evals-hostile-{token}"),
        Path(sys.prefix) / f"evals-hostile-{token}", Path(sys.base_prefix) / f"evals-hostile-{token}",
        ROOT / f".evals-daemon-{token}", Path(f"/tmp/evals-daemon-{token}"),
        Path(f"/tmp/evals-escape-{token}.py"), ROOT / f"evals-escape-{token}.py",
        Path(f"/etc/evals-escape-{token}.py"),
    ]  # fmt: skip
    return [p for p in candidates if p.exists()]


def hostile_case(make_case, token: str, loopback: dict[str, object]) -> Path:
    case_dir_placeholder = "@CASE@"
    toml = textwrap.dedent(
        f"""
        id = "hostile"
        title = "Ping, answered by hostile code"
        kind = "create"
        difficulty = "easy"
        tags = ["api-design"]
        entrypoint = "app.main:app"

        [limits]
        timeout_s = {TIMEOUT_S}
        """
    )
    files: dict[str, str | None] = {"mutants/broken/app/main.py": None}
    for name, code in HOSTILE.items():
        toml += f'\n[mutants.{name}]\nmust_fail = ["test_ping_answers_ok"]\n'
        body = code if "app = FastAPI()" in code else code + BROKEN_APP
        files[f"mutants/{name}/app/main.py"] = REPORT + body
    for rel, text in PROTECTED_OVERLAY.items():
        files[f"mutants/writes-protected-files/{rel}"] = text
    folder = make_case("hostile", toml=toml, files=files)
    for path in folder.rglob("*"):
        if path.is_file():
            text = path.read_text()
            replaced = (
                text.replace("@TOKEN@", token)
                .replace("@ROOT@", str(ROOT))
                .replace(case_dir_placeholder, str(folder))
                .replace("@PORT@", str(loopback["port"]))
                .replace("@UNIX@", str(loopback["unix"]))
            )
            path.write_text(replaced)
    return folder


def escaping_writes(monkeypatch: pytest.MonkeyPatch, token: str) -> None:
    """The agent of 'escapes-paths' also asks to write outside its workspace."""
    original = ReferenceProvider.complete

    async def complete(self, request, sample):  # type: ignore[no-untyped-def]
        reply = await original(self, request, sample)
        if sample.variant.name == "escapes-paths" and reply.stop_reason == "tool_use":
            extra = [
                ToolUseBlock(
                    id=f"toolu_escape_{n:03d}",
                    name="Write",
                    input={"file_path": path, "content": "print('ESCAPED write')\n"},
                )
                for n, path in enumerate(escaping_paths(token))
            ]
            reply = reply.model_copy(update={"content": [*reply.content, *extra]})
        return reply

    monkeypatch.setattr(ReferenceProvider, "complete", complete)


def every_file(root: Path) -> Iterator[Path]:
    return (p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def test_every_hostile_sample_fails_safely_while_the_reference_passes(
    make_case, tmp_path, monkeypatch, token, loopback, victims
):
    level = sb.choose_level("auto")
    if level != "bwrap":
        pytest.skip(f"the adversarial suite needs bubblewrap (here: {level}); CI installs it")
    secret = f"sk-ant-api03-{secrets.token_hex(16)}"
    monkeypatch.setenv("ANTHROPIC_API_KEY", secret)
    # A host process holding the secret in its initial environment, as the harness would.
    holder = subprocess.Popen(
        ["sleep", "600"], env={**os.environ, "ANTHROPIC_API_KEY": secret}, cwd="/"
    )
    # Scratch folders go under tmp_path: their paths mark this test's processes, and an
    # empty folder afterwards shows that grading cleaned up after itself.
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    escaping_writes(monkeypatch, token)
    folder = hostile_case(make_case, token, loopback)
    try:
        run_dir = run(
            RunOptions(
                cases_dir=folder.parent,
                provider="reference",
                out=tmp_path / "reports",
                quiet=True,
                workers=2,
            )
        )
    finally:
        holder.kill()
        holder.wait()

    # Nothing outlived the run, nothing escaped its folders.
    assert survivors_after([token, str(tmp_path)]) == []
    assert markers_on_host(token) == []
    assert all(v.read_text() == "precious" for v in victims)
    assert (folder / "reference/app/main.py").read_text().startswith("\nfrom fastapi")
    assert loopback["seen"] == []
    assert list(scratch.iterdir()) == []

    store = RunStore.open(run_dir)
    assert store.read_info().isolation == "bwrap"
    rows = {r.variant: r for r in store.results()}
    assert set(rows) == {"reference"} | {f"mutant-{name}" for name in HOSTILE}

    reference = rows.pop("reference")
    assert reference.passed and reference.infra_error is None, reference.grades["tests"]
    assert reference.grades["tests"].tests[0].outcome == "passed"

    for variant, row in rows.items():
        name = variant.removeprefix("mutant-")
        tests = row.grades["tests"]
        why = f"{name}: {tests.details} {[(t.outcome, t.message[:200]) for t in tests.tests]}"
        assert row.infra_error is None, f"{name}: {row.infra_error}"
        assert not row.passed and not tests.passed, why
        assert tests.score == 0.0, why
        timed_out = any("time limit" in t.message for t in tests.tests) or (
            "time limit" in tests.details
        )
        if name in MUST_TIME_OUT:
            assert timed_out, why
        if name in MUST_END_ON_ITS_OWN:
            assert not timed_out, why
    assert "disk limit" in rows["mutant-fills-disk-with-capped-files"].grades["tests"].details
    # pytest patched in the app's process: the judge's pytest never saw it.
    assert rows["mutant-patches-pytest"].grades["tests"].details == "0/1 passed"
    assert rows["mutant-exits-at-import"].grades["imports"].passed is False

    # Every refused write came back to the agent as a tool error.
    transcript = (run_dir / "samples/hostile/mutant-escapes-paths-0/transcript.json").read_text()
    assert transcript.count('"is_error":true') + transcript.count('"is_error": true') >= len(
        escaping_paths(token)
    )
    protected = run_dir / "samples/hostile/mutant-writes-protected-files-0/workspace"
    assert not (protected / "conftest.py").exists() and not (protected / "tests").exists()

    # No log the run kept shows an escape, and the secret is nowhere in the run folder.
    for path in every_file(run_dir):
        data = path.read_bytes()
        assert secret.encode() not in data, path
        if path.name in ("stdout.txt", "stderr.txt"):
            assert b"ESCAPED" not in data, f"{path}: {data[:2000]!r}"


def test_files_the_agents_bash_could_leave_never_reach_grading(tmp_path, make_case, monkeypatch):
    """Bash can make symlinks, FIFOs and protected files the Write tool refuses; grading
    copies none of them, and a symlink to the harness's environment leaks nothing."""
    level = sb.choose_level("auto")
    secret = f"sk-ant-api03-{secrets.token_hex(16)}"
    monkeypatch.setenv("ANTHROPIC_API_KEY", secret)
    case = load_case(make_case())
    workspace = tmp_path / "workspace"
    for rel, content in case.solution_overlay(Variant("mutant", "broken")).items():
        (workspace / rel).parent.mkdir(parents=True, exist_ok=True)
        (workspace / rel).write_bytes(content)
    for rel, text in PROTECTED_OVERLAY.items():
        (workspace / rel).parent.mkdir(parents=True, exist_ok=True)
        (workspace / rel).write_text(text)
    # A key file of the harness's user, and links to it and to the harness's environment.
    key_file = tmp_path / "api-key.py"
    key_file.write_text(f"print('ESCAPED', {secret!r}, flush=True)\n")
    key_file.chmod(0o600)
    (workspace / "app/leak.py").symlink_to(key_file)
    (workspace / "app/environ.txt").symlink_to("/proc/self/environ")
    os.mkfifo(workspace / "app/pipe")  # copying it would block grading for good
    grades, _ = grade_workspace(
        case,
        Variant("mutant", "broken"),
        workspace,
        tmp_path / "grading",
        Executor(sb.Sandbox(level)),
    )
    tests = grades["tests"]
    assert tests.infra_error is None and not tests.passed, tests.details
    assert tests.tests[0].outcome == "failed" and "hostile" not in tests.tests[0].message
    assert "'ko'" in tests.tests[0].message
    assert "app.leak" not in grades["imports"].details + str(grades["imports"].findings)
    for path in every_file(tmp_path / "grading"):
        data = path.read_bytes()
        assert secret.encode() not in data and b"ESCAPED" not in data, path


def test_a_fork_bomb_next_door_does_not_starve_a_correct_sample(tmp_path, make_case):
    """Samples are graded side by side: one sample's fork bomb must leave the CPU to the
    next (each sandbox is its own session, so the scheduler shares the CPU between them)."""
    level = sb.choose_level("auto")
    token = secrets.token_hex(6)
    bomb_dir = tmp_path / "bomb"
    bomb_dir.mkdir()
    bomb = threading.Thread(
        daemon=True,
        target=lambda: sb.Sandbox(level).run(
            [sys.executable, "-c", HOSTILE["fork-bomb"], f"bomb-{token}"],
            cwd=bomb_dir,
            mounts=[sb.Mount(bomb_dir, writable=True)],
            limits=sb.Limits(timeout_s=120),
            log_dir=bomb_dir / "log",
        ),
    )
    bomb.start()
    try:
        deadline = time.monotonic() + 60
        while len(survivors([f"bomb-{token}"])) < 50:  # the bomb is going off
            assert time.monotonic() < deadline, "the fork bomb never started"
            time.sleep(0.1)
        case = load_case(make_case(timeout=30))
        workspace = tmp_path / "workspace"
        for rel, content in case.reference.items():
            (workspace / rel).parent.mkdir(parents=True, exist_ok=True)
            (workspace / rel).write_bytes(content)
        grades, _ = grade_workspace(
            case, Variant("reference"), workspace, tmp_path / "grading", Executor(sb.Sandbox(level))
        )
        still_bombing = bomb.is_alive()
    finally:
        sb.stop_all()
        bomb.join(timeout=60)
    assert still_bombing, "the bomb ended before the sample was graded: nothing was tested"
    assert grades["tests"].passed, grades["tests"].details
    assert survivors_after([token]) == []
