"""A sample's job: the folders the two sides of grading see, and what each side runs.

The harness lays out, per sample (:class:`Layout`)::

    app/work/     a copy of the final workspace (the app's; writable: the app may write)
    app/data/     the sample's fresh SQLite database (the app's; writable)
    app/out/      the app side's import records (the app's; writable)
    app-runtime/  harness-owned, read-only to the app: evals_runtime/ (no tests), the case shim
    judge/hidden/ harness-owned, read-only to the judge: evals_runtime/, tests/ (+ a canary)
    judge/source/ the workspace as the agent left it, read-only to the judge (static checks)
    judge/out/    the judge's report, the app's OpenAPI document (the judge's alone)
    <sock>/       the unix socket the app is served on (short path, see SOCKET_ROOT)
    <ctl>/        the harness's control socket, the app's exit record, copies of its data

The app side (``evals_runtime.serve``) sees ``app/``, ``app-runtime/`` and the socket
folder; the judge (``evals_runtime.judge``) sees ``judge/``, the socket folder (read-only:
connecting needs no write access) and ``ctl/``. In fresh mode both roots are one scratch
folder; in warm mode each is a job folder of its own worker.

The grading copy holds regular files only: no symlinks (one could point at a harness secret
such as ``/proc/self/environ`` and be copied as its target), no FIFOs (copying one would
block), nothing protected (``conftest.py``, ``*.pth``, pytest config, ``tests/``) and no
reserved top-level name.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

from evals.cases import names_test
from evals.errors import InfraError
from evals.execute import sandbox as sb
from evals.execute import unicode_tables
from evals.execute.record import _jsonl
from evals.execute.runtime.evals_runtime import protocol
from evals.workspace import protected_reason
from graders.registry import API_FUZZ

if TYPE_CHECKING:
    from evals.cases import Case, Variant


class SampleJob(Protocol):
    """What an executor grades: one sample's final workspace, for one case and variant.

    (``graders.base.GradeContext`` is one; the executors need nothing else of it.)
    """

    @property
    def case(self) -> Case: ...

    @property
    def variant(self) -> Variant: ...

    @property
    def workspace(self) -> Path: ...

    @property
    def grade_dir(self) -> Path: ...

    @property
    def measure_coverage(self) -> bool: ...

    @property
    def only_tests(self) -> tuple[str, ...] | None:
        """Run only these hidden tests (exact collected ids); None: the whole suite."""
        ...


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


RESERVED_TOP_LEVEL = frozenset({"evals_runtime", "evals_case_shim"})


SCRATCH_PREFIX, COLLECT_PREFIX, WARM_PREFIX = "evals-grade-", "evals-collect-", "evals-warm-"


_sweep_once = threading.Lock()


"""Taken by the first sweep and never released: one sweep per process."""


SOCKET_ROOT = Path("/tmp/evals-sock")


"""Where sockets live: a fixed short root, whatever TMPDIR is (``sun_path`` holds 107 bytes)."""


def short_folder() -> Path:
    """A new folder under :data:`SOCKET_ROOT`, named for this process (swept when it dies)."""
    SOCKET_ROOT.mkdir(mode=0o711, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=SOCKET_ROOT))
    folder.chmod(0o755)
    return folder


def sweep_stale_scratch() -> None:
    """Remove scratch folders of harness processes that no longer exist (killed with -9).

    Scratch names carry the owner's pid; a folder whose owner is alive is never touched.
    Done once per process, when its first executor is made.
    """
    if not _sweep_once.acquire(blocking=False):
        return
    if SOCKET_ROOT.is_dir():
        for path in SOCKET_ROOT.iterdir():
            owner = path.name.partition("-")[0]
            if owner.isdigit() and not _alive(int(owner)):
                shutil.rmtree(path, ignore_errors=True)
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


@dataclass(frozen=True)
class Layout:
    """Where one sample's grading lives (see the module's docstring).

    ``app_root`` holds what the app's sandbox mounts, ``judge_root`` what the judge's does;
    in fresh mode both are the sample's scratch folder, in warm mode each is a job folder of
    its own worker.
    """

    app_root: Path
    judge_root: Path
    nonce: str
    sock: Path
    """The app's socket folder (short: a unix socket's path may not exceed 107 bytes)."""
    ctl: Path
    """The judge's control folder: the control socket, the app's exit record, data copies."""

    @property
    def app(self) -> Path:
        return self.app_root / "app"

    @property
    def work(self) -> Path:
        return self.app / "work"

    @property
    def data(self) -> Path:
        return self.app / "data"

    @property
    def app_out(self) -> Path:
        return self.app / "out"

    @property
    def socket(self) -> Path:
        return self.sock / protocol.APP_SOCKET

    @property
    def app_runtime(self) -> Path:
        return self.app_root / "app-runtime"

    @property
    def app_log(self) -> Path:
        return self.app_root / "app-log"

    @property
    def hidden(self) -> Path:
        return self.judge_root / "judge" / "hidden"

    @property
    def judge_out(self) -> Path:
        return self.judge_root / "judge" / "out"

    @property
    def source(self) -> Path:
        """The workspace as the agent left it, for the judge's static checks (read-only)."""
        return self.judge_root / "judge" / "source"

    @property
    def control(self) -> Path:
        return self.ctl / protocol.CONTROL_SOCKET

    @property
    def app_exit(self) -> Path:
        return self.ctl / protocol.APP_EXIT_FILE

    @property
    def log(self) -> Path:
        return self.judge_root / "log"


def prepare(app_root: Path, ctx: SampleJob, judge_root: Path, sock: Path, ctl: Path) -> Layout:
    layout = Layout(app_root, judge_root, secrets.token_hex(16), sock, ctl)
    # Files that could change how tests run never reach the grading copy, however the agent
    # made them (its Bash tool can write anything in its workspace).
    for target in (layout.work, layout.source):
        shutil.copytree(
            ctx.workspace, target, symlinks=False, ignore=_ignore_protected(ctx.workspace)
        )
    folders = (layout.data, layout.app_out, layout.sock, layout.app_log, layout.judge_out,
               layout.ctl, layout.log)  # fmt: skip
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    for folder in (layout.app, layout.judge_root / "judge", layout.sock, layout.ctl):
        folder.chmod(0o755)
    # The app's runtime: the harness's package without a single hidden test, and the shim.
    shutil.copytree(RUNTIME_DIR, layout.app_runtime / "evals_runtime", ignore=_ignore_caches)
    for rel, content in ctx.case.shim.items():
        target = layout.app_runtime / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    shutil.copytree(RUNTIME_DIR, layout.hidden / "evals_runtime", ignore=_ignore_caches)
    tests = layout.hidden / "tests"
    for rel, content in ctx.case.tests.items():
        target = tests / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    (tests / "test_evals_canary.py").write_text(CANARY_MODULE)
    (layout.hidden / "pytest.ini").write_text(PYTEST_INI)
    (layout.judge_out / protocol.CANARY_FILE).write_text(layout.nonce)
    return layout


def app_argv(python: str, ctx: SampleJob, layout: Layout) -> list[str]:
    return [
        python, "-P", "-m", "evals_runtime.serve",
        str(layout.app_out), ctx.case.entrypoint, str(layout.work), str(layout.socket),
    ]  # fmt: skip


def judge_argv(python: str, ctx: SampleJob, layout: Layout) -> list[str]:
    # An empty id names no test: an empty selection runs the canaries alone.
    chosen = () if ctx.only_tests is None else ctx.only_tests or ("",)
    only = [arg for test_id in chosen for arg in (protocol.ONLY_FLAG, test_id)]
    return [
        python, "-P", "-m", "evals_runtime.judge", str(layout.judge_out),
        "--", *pytest_args(layout.hidden), *only,
    ]  # fmt: skip


def app_mounts(layout: Layout) -> list[sb.Mount]:
    return [
        sb.Mount(layout.work, writable=True),
        sb.Mount(layout.data, writable=True),
        sb.Mount(layout.app_out, writable=True),
        sb.Mount(layout.sock, writable=True),
        sb.Mount(layout.app_runtime),
    ]


def judge_mounts(layout: Layout) -> list[sb.Mount]:
    # Only the app's socket of the app's folders (connecting needs no write access to the
    # mount); its data reaches the judge as copies the harness makes (ControlServer).
    return [
        sb.Mount(layout.judge_out, writable=True),
        sb.Mount(layout.hidden),
        sb.Mount(layout.source),
        sb.Mount(layout.ctl),
        sb.Mount(layout.sock),
    ]


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


def case_env(ctx: SampleJob, layout: Layout) -> dict[str, str]:
    """What both sides see: the database URL and the case's own settings."""
    db = layout.data / protocol.DB_FILE
    # Deterministic per sample (same grades when re-graded), different across samples.
    seed = f"{ctx.case.id}/{ctx.variant.label}/{ctx.grade_dir.name}".encode()
    return {
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        protocol.DB_PATH_ENV: str(db),
        "JWT_SECRET_KEY": hashlib.sha256(b"jwt:" + seed).hexdigest(),
        # The case's own settings (seeded accounts, CORS allow-lists, upload folders), in
        # place before the import check first imports the app.
        **{k: v.replace("{data}", str(layout.data)) for k, v in ctx.case.env.items()},
    }


def app_env(ctx: SampleJob, layout: Layout) -> dict[str, str]:
    env = {**case_env(ctx, layout), "PYTHONPATH": str(layout.app_runtime)}
    if ctx.measure_coverage:
        env[protocol.COVERAGE_ENV] = "1"
    return env


def judge_env(ctx: SampleJob, layout: Layout) -> dict[str, str]:
    return {
        **case_env(ctx, layout),
        protocol.ENTRYPOINT_ENV: ctx.case.entrypoint,
        protocol.REPORT_ENV: str(layout.judge_out / protocol.REPORT_FILE),
        protocol.CANARY_FILE_ENV: str(layout.judge_out / protocol.CANARY_FILE),
        protocol.SOCKET_ENV: str(layout.socket),
        protocol.CONTROL_ENV: str(layout.control),
        protocol.APP_EXIT_ENV: str(layout.app_exit),
        protocol.SOURCE_ENV: str(layout.source),
        protocol.READY_TIMEOUT_ENV: str(max(ctx.case.timeout_s - 5, 5)),
        **fuzz_env(ctx),
        **tables_env(layout),
        **({protocol.COVERAGE_ENV: "1"} if ctx.measure_coverage else {}),
        "PYTHONPATH": str(layout.hidden),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    }


def fuzzes(case: Case) -> bool:
    """The case grades with generated requests (its judge runs them after the suite)."""
    return any(spec.name == API_FUZZ for spec in case.graders)


def fuzz_env(ctx: SampleJob) -> dict[str, str]:
    """The generated-request phase, when the case grades with it: a sixth of the sample's
    limit, 3 to 10 s, so the judge still ends well inside it."""
    if not fuzzes(ctx.case):
        return {}
    budget = min(10.0, max(3.0, ctx.case.timeout_s / 6))
    return {protocol.FUZZ_ENV: f"{budget}:{ctx.case.timeout_s}"}


def tables_env(layout: Layout) -> dict[str, str]:
    """Where hypothesis finds the Unicode tables the harness built (when it could)."""
    folder = layout.hidden / unicode_tables.FOLDER
    return {unicode_tables.STORAGE_ENV: str(folder)} if folder.is_dir() else {}


TestMap = dict[str, tuple[str, ...]]
_COLLECTED: dict[tuple[str, str], tuple[TestMap, TestMap]] = {}


_COLLECT_LOCK = threading.Lock()
_SUITE_LOCKS: dict[tuple[str, str], threading.Lock] = {}


def expected_test_ids(case: Case) -> dict[str, tuple[str, ...]]:
    """Test id -> rule tags of the hidden suite, collected by the harness without any app.

    Tags come from here (trusted), not from the sample's result stream. Collected once per
    suite content per process.
    """
    return _collected(case)[0]


def declared_tests(case: Case, variant: Variant) -> tuple[str, ...] | None:
    """The hidden test ids a mutant declares it fails (its ``must_fail``, where a bare name
    stands for each of its parametrized ids), in suite order; None for any other variant
    (nothing is declared: it is graded on the whole suite)."""
    if variant.kind != "mutant":
        return None
    must_fail = case.mutant(variant.name).must_fail
    return tuple(
        t for t in expected_test_ids(case) if any(names_test(entry, t) for entry in must_fail)
    )


def requirements_by_test(case: Case) -> dict[str, tuple[str, ...]]:
    """Test id -> the requirement ids (``@pytest.mark.requirement``) the test declares."""
    return _collected(case)[1]


def _collected(case: Case) -> tuple[TestMap, TestMap]:
    key = (case.id, case.content_hash)
    # One lock per suite: two threads asking for one suite collect it once, while different
    # suites are collected side by side (the run's snapshot asks for every case at once).
    with _COLLECT_LOCK:
        suite_lock = _SUITE_LOCKS.setdefault(key, threading.Lock())
    with suite_lock:
        if key not in _COLLECTED:
            _COLLECTED[key] = _collect(case)
        return _COLLECTED[key]


def _collect(case: Case) -> tuple[TestMap, TestMap]:
    scratch = Path(tempfile.mkdtemp(prefix=f"{COLLECT_PREFIX}{os.getpid()}-"))
    try:
        hidden = scratch / "hidden"
        shutil.copytree(RUNTIME_DIR, hidden / "evals_runtime", ignore=_ignore_caches)
        for rel, content in case.tests.items():
            target = hidden / "tests" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (hidden / "pytest.ini").write_text(PYTEST_INI)
        report = scratch / protocol.REPORT_FILE
        env = {
            **sb.SAFE_ENV,
            "PYTHONPATH": str(hidden),
            protocol.REPORT_ENV: str(report),
            "DATABASE_URL": f"sqlite+aiosqlite:///{scratch}/unused.db",
            protocol.DB_PATH_ENV: str(scratch / "unused.db"),
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
        requirements = collected.get("requirements", {})
        return (
            {i: tuple(rules.get(i, ())) for i in collected["ids"]},
            {i: tuple(requirements.get(i, ())) for i in collected["ids"]},
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
