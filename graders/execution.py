"""Run a sample's code once, sandboxed: the import check and the hidden suite.

The harness lays out a scratch folder per sample::

    work/    a copy of the final workspace (writable: the app may write files)
    hidden/  harness-owned, read-only: evals_runtime/, tests/ (+ a canary), pytest.ini
    data/    the sample's fresh SQLite database (writable)
    out/     result streams: imports.jsonl, report.jsonl, stdout/stderr (writable)

and runs ``evals_runtime.driver`` in the sandbox. What comes back is raw and untrusted;
:mod:`graders.tests` and :mod:`graders.imports` judge it.

The grading copy holds regular files only: no symlinks (one could point at a harness secret
such as ``/proc/self/environ`` and be copied as its target), no FIFOs (copying one would
block), nothing protected (``conftest.py``, ``*.pth``, pytest config, ``tests/``) and no
top-level ``evals_runtime``. Paths of the scratch folder and object addresses are replaced
by fixed text in what comes back, so grading a sample twice gives the same messages.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from evals import sandbox as sb
from evals.errors import InfraError, SandboxError
from evals.workspace import protected_reason

if TYPE_CHECKING:
    from evals.cases import Case
    from graders.base import GradeContext

RUNTIME_DIR = Path(__file__).parent / "runtime" / "evals_runtime"
CANARY_PASS = "test_evals_canary_pass"
CANARY_FAIL = "test_evals_canary_fail"
CANARY_MODULE = f'''"""Harness-owned canaries: one must pass, one must fail with the run's tag."""

from evals_runtime import plugin


def {CANARY_PASS}():
    assert plugin.canary_tag()


def {CANARY_FAIL}():
    raise AssertionError("evals canary " + plugin.canary_tag())
'''
PYTEST_INI = "[pytest]\naddopts =\n"
SCRATCH_PLACEHOLDER = "/sample"
"""What the per-sample scratch path reads as in messages (it differs on every run)."""
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{4,16}\b")
RESERVED_TOP_LEVEL = frozenset({"evals_runtime"})
SCRATCH_PREFIX, COLLECT_PREFIX, WARM_PREFIX = "evals-grade-", "evals-collect-", "evals-warm-"
_sweep_once = threading.Lock()
"""Taken by the first sweep and never released: one sweep per process."""


@dataclass
class ImportRecord:
    module: str
    ok: bool
    error: str = ""


@dataclass
class Execution:
    """Raw observations of one sandboxed grading process."""

    nonce: str
    imports: list[ImportRecord] = field(default_factory=list)
    entrypoint_ok: bool | None = None
    entrypoint_error: str = ""
    unfinished_import: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    returncode: int | None = None
    timed_out: bool = False
    stdout: str = ""
    stderr: str = ""
    duration_s: float = 0.0
    isolation: str = ""
    infra_error: str | None = None
    exceeded: str | None = None
    """A resource limit the sandbox killed the run for (``"disk"``), if any."""
    openapi: dict[str, Any] | None = None
    """The app's OpenAPI document as the driver dumped it ({"schema": ...} or {"error": ...})."""
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds per driver phase (setup, imports, openapi, pytest): diagnostics for the bench,
    written by the sandboxed process itself, so never read for a verdict."""

    def tests_reported(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("event") == "test"]

    def saw(self, event: str) -> dict[str, Any] | None:
        return next((e for e in self.events if e.get("event") == event), None)


class Executor:
    """Fresh mode: one sandboxed Python process per sample."""

    mode = "fresh"

    def __init__(self, sandbox: sb.Sandbox, python: str = sys.executable) -> None:
        self.sandbox = sandbox
        self.python = python
        sweep_stale_scratch()

    def close(self) -> None:
        """Nothing is held between samples."""

    def execute(self, ctx: GradeContext) -> Execution:
        scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
        # Traversable by the sandbox's uid where the level shares the host's filesystem
        # (unshare); not listable, so other users cannot find the sample's files.
        scratch.chmod(0o711)
        try:
            layout = prepare(scratch, ctx)
            execution = Execution(nonce=layout["nonce"])
            argv = [
                self.python, "-P", "-m", "evals_runtime.driver",
                str(layout["out"]), ctx.case.entrypoint, str(layout["work"]),
                "--", *pytest_args(layout["hidden"]),
            ]  # fmt: skip
            try:
                result = self.sandbox.run(
                    argv,
                    cwd=layout["work"],
                    mounts=[
                        sb.Mount(layout["work"], writable=True),
                        sb.Mount(layout["data"], writable=True),
                        sb.Mount(layout["out"], writable=True),
                        sb.Mount(layout["hidden"]),
                    ],
                    env=grading_env(ctx, layout),
                    limits=sb.Limits(timeout_s=ctx.case.timeout_s),
                    log_dir=scratch / "log",
                )
            except SandboxError as exc:
                execution.infra_error = str(exc)
                return execution
            execution.returncode = result.returncode
            execution.timed_out = result.timed_out
            execution.stdout, execution.stderr = result.stdout, result.stderr
            execution.duration_s = result.duration_s
            execution.isolation = result.isolation
            execution.exceeded = result.exceeded
            read_streams(execution, layout["out"])
            keep_logs(scratch, ctx.grade_dir)
            return execution
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def sweep_stale_scratch() -> None:
    """Remove scratch folders of harness processes that no longer exist (killed with -9).

    Scratch names carry the owner's pid; a folder whose owner is alive is never touched.
    Done once per process, when its first executor is made.
    """
    if not _sweep_once.acquire(blocking=False):
        return
    for path in Path(tempfile.gettempdir()).glob("evals-*-*-*"):
        prefixes = (SCRATCH_PREFIX, COLLECT_PREFIX, WARM_PREFIX)
        prefix = next((p for p in prefixes if path.name.startswith(p)), "")
        owner = path.name[len(prefix) :].partition("-")[0]
        if not prefix or not owner.isdigit() or _alive(int(owner)):
            continue
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: alive
    return True


def prepare(scratch: Path, ctx: GradeContext) -> dict[str, Any]:
    work, hidden, data, out = (scratch / n for n in ("work", "hidden", "data", "out"))
    # Files that could change how tests run never reach the grading copy, however the agent
    # made them (its Bash tool can write anything in its workspace).
    shutil.copytree(ctx.workspace, work, symlinks=False, ignore=_ignore_protected(ctx.workspace))
    shutil.copytree(RUNTIME_DIR, hidden / "evals_runtime", ignore=_ignore_caches)
    tests = hidden / "tests"
    for rel, content in ctx.case.tests.items():
        target = tests / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    (tests / "test_evals_canary.py").write_text(CANARY_MODULE)
    (hidden / "pytest.ini").write_text(PYTEST_INI)
    data.mkdir()
    out.mkdir()
    nonce = secrets.token_hex(16)
    (out / "canary").write_text(nonce)
    return {"work": work, "hidden": hidden, "data": data, "out": out, "nonce": nonce}


def _ignore_protected(root: Path) -> Callable[[str, list[str]], list[str]]:
    def ignore(directory: str, names: list[str]) -> list[str]:
        rel = Path(directory).relative_to(root)
        return [
            n
            for n in names
            if protected_reason(PurePosixPath(*rel.parts, n)) is not None
            or not _plain(Path(directory, n))
            or (not rel.parts and n.partition(".")[0] in RESERVED_TOP_LEVEL)
        ]

    return ignore


def _plain(path: Path) -> bool:
    """A real directory or regular file, not a symlink, FIFO, socket or device."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return stat.S_ISDIR(mode) or stat.S_ISREG(mode)


def _ignore_caches(_dir: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__" or n.endswith(".pyc")]


def pytest_args(hidden: Path) -> list[str]:
    return [
        "-p", "evals_runtime.plugin", "-p", "no:cacheprovider",
        "-c", str(hidden / "pytest.ini"), "--rootdir", str(hidden),
        "--confcutdir", str(hidden), "-q", "--tb=short", "--no-header",
        str(hidden / "tests"),
    ]  # fmt: skip


def grading_env(ctx: GradeContext, layout: dict[str, Any]) -> dict[str, str]:
    db = layout["data"] / "app.db"
    # Deterministic per sample (same grades when re-graded), different across samples.
    seed = f"{ctx.case.id}/{ctx.variant.label}/{ctx.grade_dir.name}".encode()
    return {
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "EVALS_DB_PATH": str(db),
        "EVALS_ENTRYPOINT": ctx.case.entrypoint,
        "EVALS_REPORT": str(layout["out"] / "report.jsonl"),
        "EVALS_CANARY_FILE": str(layout["out"] / "canary"),
        "JWT_SECRET_KEY": hashlib.sha256(b"jwt:" + seed).hexdigest(),
        "PYTHONPATH": str(layout["hidden"]),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        # The case's own settings (seeded accounts, CORS allow-lists, upload folders), in
        # place before the import check first imports the app.
        **{k: v.replace("{data}", str(layout["data"])) for k, v in ctx.case.env.items()},
    }


def read_streams(execution: Execution, out: Path) -> None:
    started: str | None = None
    scrub = _scrubber(out.parent)
    records = _jsonl(out / "imports.jsonl")
    # A nonce-aware driver stamps every record before any generated code runs; once one
    # record carries the nonce, records without it were written by someone else.
    if any(r.get("nonce") == execution.nonce for r in records):
        records = [r for r in records if r.get("nonce") == execution.nonce]
    for record in scrub(records):
        if "entrypoint" in record:
            execution.entrypoint_ok = record.get("status") == "ok"
            execution.entrypoint_error = str(record.get("error", ""))
        elif record.get("status") == "start":
            started = str(record.get("module"))
        else:
            execution.imports.append(
                ImportRecord(str(record.get("module")), record.get("status") == "ok",
                             str(record.get("error", "")))
            )  # fmt: skip
            started = None
    execution.unfinished_import = started
    execution.events = scrub(_jsonl(out / "report.jsonl"))
    execution.stdout, execution.stderr = scrub([execution.stdout, execution.stderr])
    execution.openapi = scrub(_json_document(out / "openapi.json"))
    phases = _json_document(out / "phases.json", max_bytes=10_000) or {}
    execution.phases = {str(k): float(v) for k, v in phases.items() if isinstance(v, int | float)}


def _json_document(path: Path, max_bytes: int = 5_000_000) -> dict[str, Any] | None:
    if not path.is_file() or path.stat().st_size > max_bytes:
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _scrubber(scratch: Path) -> Callable[[Any], Any]:
    """Replace the scratch path and object addresses in every string of a JSON value."""
    prefixes = sorted({str(scratch), os.path.realpath(scratch)}, key=len, reverse=True)

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            for prefix in prefixes:
                value = value.replace(prefix, SCRATCH_PLACEHOLDER)
            return _ADDRESS.sub(" at 0x?", value)
        if isinstance(value, list):
            return [scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        return value

    return scrub


def _jsonl(path: Path) -> list[dict[str, Any]]:
    """Parse what is parseable; a torn or forged line is dropped, never trusted blindly."""
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:100_000]:
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            records.append(value)
    return records


def keep_logs(scratch: Path, grade_dir: Path) -> None:
    grade_dir.mkdir(parents=True, exist_ok=True)
    for name in ("stdout.txt", "stderr.txt"):
        src = scratch / "log" / name
        if src.exists():
            with open(src, "rb") as handle:
                (grade_dir / name).write_bytes(handle.read(200_000))


_COLLECTED: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
_COLLECT_LOCK = threading.Lock()


def expected_test_ids(case: Case) -> dict[str, tuple[str, ...]]:
    """Test id -> rule tags of the hidden suite, collected by the harness without any app.

    Tags come from here (trusted), not from the sample's result stream. Collected once per
    suite content per process.
    """
    key = (case.id, case.content_hash)
    with _COLLECT_LOCK:
        if key not in _COLLECTED:
            _COLLECTED[key] = _collect(case)
        return _COLLECTED[key]


def _collect(case: Case) -> dict[str, tuple[str, ...]]:
    scratch = Path(tempfile.mkdtemp(prefix=f"{COLLECT_PREFIX}{os.getpid()}-"))
    try:
        hidden = scratch / "hidden"
        shutil.copytree(RUNTIME_DIR, hidden / "evals_runtime", ignore=_ignore_caches)
        for rel, content in case.tests.items():
            target = hidden / "tests" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (hidden / "pytest.ini").write_text(PYTEST_INI)
        report = scratch / "report.jsonl"
        env = {
            **sb.SAFE_ENV,
            "PYTHONPATH": str(hidden),
            "EVALS_REPORT": str(report),
            "DATABASE_URL": f"sqlite+aiosqlite:///{scratch}/unused.db",
            "EVALS_DB_PATH": str(scratch / "unused.db"),
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            "HOME": str(scratch),
            **{k: v.replace("{data}", str(scratch)) for k, v in case.env.items()},
        }
        args = pytest_args(hidden)
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", *args],
            cwd=scratch, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        collected = next((e for e in _jsonl(report) if e.get("event") == "collected"), None)
        if proc.returncode != 0 or collected is None:
            raise InfraError(
                f"cannot collect the hidden tests of {case.id}: "
                f"{(proc.stdout + proc.stderr)[-1500:]}",
                path=case.source,
            )
        rules = collected.get("rules", {})
        return {i: tuple(rules.get(i, ())) for i in collected["ids"]}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
