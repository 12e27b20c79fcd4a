"""A warm grading worker: imports a stack once, forks a child per sample.

    python warm_server.py app      (the app side: the generated-app stack and uvicorn)
    python warm_server.py judge    (the judge: pytest, httpx and the hidden suites' helpers)

Started by evals.execute.warm_worker inside a bubblewrap sandbox, one server per side: an app
child serves one sample's app (``evals_runtime.serve``), a judge child runs its hidden suite
(``evals_runtime.judge``), each in its own sandbox, as its own uid. The app server never sees
a hidden test (it is never sent one, and never parses one), so nothing a sample's code can
reach by forking from it holds the hidden tests of any case.

It runs inside its own bwrap sandbox (PID, network, IPC and UTS namespaces, read-only system
and interpreter, a writable jobs folder, a tmpfs /tmp) as uid 0 of that sandbox with three
capabilities only (setuid, setgid, kill), so that each child can drop to the sample's
unprivileged uid and the server can clean up after it. A child therefore cannot signal,
trace or read the server (another uid): one sample can neither kill the worker nor reach
the samples graded after it. The server itself never runs or imports generated code.

Protocol: one JSON request per line on stdin, one JSON reply per line on stdout (the real
stdout is moved aside at start-up, so nothing a library prints can forge a reply).

Per request the server forks; the child, before touching generated code, starts a new
session, replaces its file descriptors (stdin /dev/null, stdout/stderr to the job's log
files, every inherited descriptor closed), sets the job's environment and rlimits, drops to
the sample's uid with no capabilities and no_new_privs, and then does what
``python -m evals_runtime.serve`` (app) or ``python -m evals_runtime.judge`` (judge) does in
fresh mode, ending with ``os._exit``. The server enforces the wall-clock limit, then kills
every process left in the namespace, reaps them, wipes /tmp as the sample's uid and reports
whether the sandbox is back to its pristine state (if not, the harness replaces the worker).

It depends only on the standard library and the generated-app environment; it never imports
:mod:`evals`.
"""

from __future__ import annotations

import sys

# What a bare interpreter already has: names a sample may shadow in fresh mode as well.
BASELINE_MODULES = frozenset(sys.modules)

import ast  # noqa: E402 - after the baseline snapshot, on purpose
import contextlib  # noqa: E402
import ctypes  # noqa: E402
import gc  # noqa: E402
import importlib  # noqa: E402
import importlib.util  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import select  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import types  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402

# The generated-app stack (evals.environment.GENERATED_APP_PACKAGES) and what importing an
# app and serving it through TestClient pulls in. A missing module is skipped, not an error.
APP_STACK = (
    "asyncio",
    "sqlite3",
    "uuid",
    "secrets",
    "decimal",
    "logging",
    "typing_extensions",
    "anyio",
    "anyio._backends._asyncio",
    "pydantic",
    "pydantic.networks",
    "pydantic.functional_serializers",
    "pydantic.v1",
    "pydantic_core",
    "pydantic_settings",
    "email_validator",
    "starlette",
    "starlette.applications",
    "starlette.middleware.cors",
    "starlette.middleware.base",
    "starlette.middleware.trustedhost",
    "starlette.middleware.gzip",
    "starlette.staticfiles",
    "starlette.testclient",
    "fastapi",
    "fastapi.security",
    "fastapi.middleware.cors",
    "fastapi.responses",
    "fastapi.encoders",
    "fastapi.exceptions",
    "fastapi.testclient",
    "fastapi.telemetry._runtime",
    "httpx",
    "multipart",
    "python_multipart",
    "sqlalchemy",
    "sqlalchemy.orm",
    "sqlalchemy.ext.asyncio",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.sqlite.aiosqlite",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.sql.default_comparator",
    "aiosqlite",
    "greenlet",
    "jwt",
    "bcrypt",
    "argon2",
    "pwdlib",
    "pwdlib.hashers.argon2",
    "pwdlib.hashers.bcrypt",
)
# pytest and the plugins pytest.main loads: the judge's stack (the app server never loads it,
# so an app child sees exactly what a fresh app process sees).
TEST_STACK = (
    "pytest",
    "_pytest.config",
    "_pytest.assertion.rewrite",
    "_pytest.python",
    "_pytest._argcomplete",
    "faulthandler",
    "pdb",
    "readline",
)

NICENESS = 10
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
SETUP_OK = b"ok"
SETUP_FAILED = 121
_LIBC = ctypes.CDLL(None, use_errno=True)
_SET_UP = False


# --- start-up ------------------------------------------------------------------------------


SERVE_STACK = (
    "uvicorn",
    "uvicorn.config",
    "uvicorn.server",
    "uvicorn.main",
    "uvicorn.lifespan.on",
    "uvicorn.loops.asyncio",
    "uvicorn.protocols.http.h11_impl",
    "h11",
)
JUDGE_STACK = ("sqlite3", "ast", "httpx", "socket", "hashlib", "random", "json", "uuid")
# The api_fuzz grader's generator (evals_runtime.fuzz): ~0.5 s to import per sample, ~0.3 s of
# a judge worker's start-up; loaded only by the judges of a run whose cases fuzz.
FUZZ_STACK = ("requests", "hypothesis", "schemathesis", "schemathesis.specs.openapi.checks")
ROLES = ("app", "judge")
FUZZ_FLAG = "--fuzz"


def preload(role: str, fuzz: bool = False) -> frozenset[str]:
    """Import the role's stack; returns the modules loaded here (beyond a bare interpreter's)."""
    if role == "app":
        names: tuple[str, ...] = (*APP_STACK, *SERVE_STACK)
    else:
        names = (*JUDGE_STACK, *(FUZZ_STACK if fuzz else ()), *TEST_STACK)
    for name in names:
        _try_import(name)
    if role == "judge":
        config = sys.modules.get("_pytest.config")
        for plugin in getattr(config, "default_plugins", ()):
            _try_import(f"_pytest.{plugin}")
        if fuzz:
            _unicode_tables()
    return frozenset(sys.modules) - BASELINE_MODULES


def _unicode_tables() -> None:
    """hypothesis's Unicode tables, loaded once here rather than in every child. The harness
    put the ones it built beside this file (``evals.execute.unicode_tables``): reading them
    takes milliseconds, building them (when they are not there) seconds."""
    tables = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hypothesis")
    if os.path.isdir(tables):
        os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = tables
    with contextlib.suppress(Exception):
        from hypothesis.internal.charmap import charmap, intervals_from_codec

        charmap()
        intervals_from_codec("utf-8")


def warm_caches() -> None:
    """Fill, once, lookup caches every child would otherwise fill again for the same modules.

    Each sample has a failing test (the harness's canary), and pytest shows a failure with its
    source: ``inspect.getmodule`` then maps every loaded module to its file, resolving each
    path component with ``lstat`` (~100 ms for the pre-imported stack). Filled here, a child
    only maps the modules it imports itself; the answers are the same.
    """
    import inspect

    with contextlib.suppress(Exception):
        inspect.getmodule(1, REWRITE_PLACEHOLDER)
    with contextlib.suppress(Exception):
        inspect.findsource(warm_caches.__code__)  # and the regular expression it compiles


def _try_import(name: str) -> None:
    try:
        importlib.import_module(name)
    except Exception:  # an optional package of the environment may be missing
        return


def take_control_channel() -> tuple[int, int]:
    """Move the request/reply pipes off fds 0/1, so library output cannot reach them."""
    requests, replies = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    return requests, replies


def send(fd: int, record: dict) -> None:
    data = (json.dumps(record) + "\n").encode()
    while data:
        data = data[os.write(fd, data) :]


def requests_from(fd: int) -> Iterator[dict]:
    buffer = b""
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                yield json.loads(line)


# --- hidden tests, rewritten once ----------------------------------------------------------
#
# pytest parses every test module, rewrites its asserts and compiles the result: ~10 ms per
# module, the same work for every sample of a case. The server does it once per distinct
# source (the hidden tests are the harness's, never generated code) and each child hands
# pytest the cached code, relocated to the job's own path, instead of redoing it.

REWRITE_PLACEHOLDER = "/evals-rewrite-placeholder.py"
REWRITE_CACHE: dict[bytes, types.CodeType] = {}
REWRITE_CACHE_MAX = 512
_PRECOMPILED: set[bytes] = set()
"""Sources already handled, cached or left to the child: never redone for the next job."""


def precompile_tests(hidden: str) -> None:
    """Rewrite the job's test modules (conftest included) as pytest would, if not cached."""
    try:
        from _pytest.assertion.rewrite import rewrite_asserts
    except ImportError:
        return
    for folder, _dirs, names in os.walk(os.path.join(hidden, "tests")):
        for name in names:
            if not name.endswith(".py") or len(REWRITE_CACHE) >= REWRITE_CACHE_MAX:
                continue
            try:
                with open(os.path.join(folder, name), "rb") as handle:
                    source = handle.read()
            except OSError:
                continue
            key = importlib.util.source_hash(source)
            if key in _PRECOMPILED:
                continue
            _PRECOMPILED.add(key)
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    tree = ast.parse(source, filename=REWRITE_PLACEHOLDER)
                    rewrite_asserts(tree, source, REWRITE_PLACEHOLDER, None)
                    code = compile(tree, REWRITE_PLACEHOLDER, "exec", dont_inherit=True)
            except Exception:  # pytest reports it in the child, as in fresh mode
                continue
            if not caught:  # a rewrite that warns must warn in the child, as in fresh mode
                REWRITE_CACHE[key] = code
            _parse_for_tracebacks(source)


def use_rewritten_tests() -> None:
    """In the child: serve pytest's rewrite step from the cache (same code, same path)."""
    try:
        from _pytest.assertion import rewrite
    except ImportError:
        return
    rewrite_test = rewrite._rewrite_test

    def cached(fn, config):
        source = fn.read_bytes()
        key = importlib.util.source_hash(source)
        code = REWRITE_CACHE.get(key)
        # The cache holds rewrites made without a config: only valid while the config does not
        # ask for the assertion-pass hook (the one setting that changes the rewrite).
        if code is None or (config is not None and config.getini("enable_assertion_pass_hook")):
            return rewrite_test(fn, config)
        return key, relocate(code, str(fn))

    rewrite._rewrite_test = cached


# --- hidden tests, parsed once for failure reports ------------------------------------------
#
# To show a failing test, pytest parses the whole test module and walks it for statement line
# numbers (~50 ms for a 500-line suite) — anew for every failure, and a mutant fails two tests
# on average. The server parses each hidden module once, as pytest would (the same text, the
# same call), and the child hands pytest that tree when the text is the same.

SOURCE_TREES: dict[str, ast.AST] = {}
SOURCE_TREES_MAX = 64  # ~1 MB of tree per 500 lines of tests


def pytest_source_text(source: bytes) -> str | None:
    """The text pytest parses to show a module's failure: its lines, each right-stripped.

    (``linecache`` lines, universal newlines, joined by ``Source``.) A text that differs from
    pytest's own only misses the cache.
    """
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "\n".join(line.rstrip() for line in io.StringIO(text, newline=None).readlines())


def _parse_for_tracebacks(source: bytes) -> None:
    try:
        from _pytest._code.source import getstatementrange_ast
    except ImportError:
        return
    text = pytest_source_text(source)
    if text is None or text in SOURCE_TREES or len(SOURCE_TREES) >= SOURCE_TREES_MAX:
        return
    try:
        # getstatementrange_ast parses exactly as a failure report does, and memoizes the
        # statement line numbers on the tree it returns. _SourceText stands in for a Source
        # (which would deindent the text), and pytest may be absent, so it cannot subclass it.
        tree, _, _ = getstatementrange_ast(0, _SourceText(text))  # type: ignore[arg-type]
    except SyntaxError:
        return
    SOURCE_TREES[text] = tree


class _SourceText:
    """The two things ``getstatementrange_ast`` asks of a ``Source``: its text and lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")

    def __str__(self) -> str:
        return self.text


def use_parsed_tests() -> None:
    """In the child: give pytest's failure reports the tree parsed once from the same text."""
    try:
        from _pytest._code import code
    except ImportError:
        return
    locate = code.getstatementrange_ast

    def cached(lineno, source, assertion=False, astnode=None):
        if astnode is None:
            astnode = SOURCE_TREES.get(str(source))
        return locate(lineno, source, assertion, astnode)

    code.getstatementrange_ast = cached


def relocate(code: types.CodeType, filename: str) -> types.CodeType:
    """``code`` with ``co_filename`` set to ``filename``, nested code objects included."""
    consts = tuple(
        relocate(c, filename) if isinstance(c, types.CodeType) else c for c in code.co_consts
    )
    return code.replace(co_filename=filename, co_consts=consts)


# --- one job -------------------------------------------------------------------------------


def run_job(job: dict, base_path: list[str], control: int) -> dict:
    status_r, status_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(status_r)
        try:
            child(job, status_w, base_path)
        except BaseException:  # report it, never return into the server loop
            traceback.print_exc()
            sys.stderr.flush()
        # Past set-up, an escaping exception ends the process as it would in fresh mode.
        os._exit(1 if _SET_UP else SETUP_FAILED)
    os.close(status_w)
    pidfd = os.pidfd_open(pid)
    deadline = started + float(job["timeout"])
    set_up = _await_setup(status_r, deadline)
    os.close(status_r)
    timed_out = aborted = False
    # The control pipe is quiet during a job unless the harness is gone (EOF) or closing.
    ready = select.select([pidfd, control], [], [], max(0.0, deadline - time.monotonic()))[0]
    if pidfd not in ready:
        timed_out, aborted = not ready, bool(ready)
        _kill(pid)
    _, status, usage = os.wait4(pid, 0)
    duration = time.monotonic() - started
    os.close(pidfd)
    dirty = clean_up(int(job["uid"]), str(job["jobs_root"]))
    if timed_out:
        returncode = -signal.SIGKILL  # what fresh mode's Popen reports after its group kill
    elif os.WIFSIGNALED(status):
        returncode = 128 + os.WTERMSIG(status)  # what bwrap reports for a killed child
    else:
        returncode = os.WEXITSTATUS(status)
    return {
        "id": job["id"],
        "returncode": returncode,
        "timed_out": timed_out,
        "aborted": aborted,
        "duration": duration,
        "cpu": usage.ru_utime + usage.ru_stime,
        "setup_error": None if set_up else f"the child did not set up (exit {returncode})",
        "dirty": dirty,
    }


def _await_setup(status_r: int, deadline: float) -> bool:
    got = b""
    while time.monotonic() < deadline:
        ready = select.select([status_r], [], [], max(0.0, deadline - time.monotonic()))[0]
        if not ready:
            break
        chunk = os.read(status_r, 16)
        if not chunk:
            break
        got += chunk
    return got == SETUP_OK


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def child(job: dict, status_w: int, base_path: list[str]) -> None:
    """Enter the job's isolation, then run its side's entry point in this process."""
    os.setsid()
    log = job["log_dir"]
    stdin = os.open(os.devnull, os.O_RDONLY)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
    stdout = os.open(os.path.join(log, "stdout.txt"), flags, 0o600)
    stderr = os.open(os.path.join(log, "stderr.txt"), flags, 0o600)
    os.dup2(stdin, 0)
    os.dup2(stdout, 1)
    os.dup2(stderr, 2)
    # Nothing inherited survives: not the control pipes, not another job's files.
    os.closerange(3, status_w)
    os.closerange(status_w + 1, 65536)
    os.environ.clear()
    os.environ.update(job["env"])
    if job.get("cpu") is not None:
        # One core per worker: the app, TestClient's portal thread, AnyIO's worker threads and
        # aiosqlite's thread hand every request back and forth; on one core each hand-off is a
        # plain context switch, across cores a cross-CPU wake-up (slow on virtual machines).
        with contextlib.suppress(OSError):  # a core taken away since: run wherever allowed
            os.sched_setaffinity(0, {int(job["cpu"])})
    for name, value in job["rlimits"].items():
        limit = getattr(resource, name)
        if name == "RLIMIT_AS":
            # The budget is for what the sample maps, on top of the stack already mapped here
            # (fresh mode's process maps it too, as it imports). Without this a sample at the
            # edge of two limits meets the other one first: a thread bomb runs out of address
            # space (a MemoryError inside the new thread, which hangs start()) before it runs
            # out of processes (the RuntimeError fresh mode's sees).
            value = int(value) + _mapped_bytes()
        resource.setrlimit(limit, (int(value), int(value)))
    uid = int(job["uid"])
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if _LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    # The uid change made the process non-dumpable (its /proc entries root's); fresh mode's
    # exec makes it dumpable again. Only processes of the sample's own uid can trace it.
    _LIBC.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    if os.getresuid() != (uid, uid, uid) or _effective_caps() != 0:
        raise RuntimeError("the child kept privileges after dropping to the sample's uid")
    if job.get("data_dir"):
        os.mkdir(job["data_dir"], 0o755)  # on the data tmpfs (DATA_MOUNT), wiped after every job
        if job.get("restore"):
            # A restart: the data the previous app process left, copied out by the harness.
            shutil.copytree(job["restore"], job["data_dir"], dirs_exist_ok=True)
    argv = list(job["argv"])
    os.chdir(job["cwd"])
    module = job["module"]
    sys.argv = [os.path.join(job["runtime"], "evals_runtime", f"{module}.py"), *argv]
    # As `python -P -m evals_runtime.<module>` with PYTHONPATH=runtime sees it.
    sys.path[:] = [job["runtime"], *base_path]
    if module == "judge":
        use_rewritten_tests()
        use_parsed_tests()
    os.write(status_w, SETUP_OK)
    os.close(status_w)
    global _SET_UP
    _SET_UP = True
    run_module(module, argv)


def _mapped_bytes() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _effective_caps() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    return -1


def run_module(module: str, argv: list[str]) -> None:
    """What ``python -m evals_runtime.<module> ARGV`` does, in this already-warm process."""
    if module not in ("serve", "judge"):
        raise ValueError(f"unknown job module {module!r}")
    # The job's copy, from its runtime folder, as in fresh mode.
    entry = importlib.import_module(f"evals_runtime.{module}")
    entry.main(argv)
    os._exit(70)  # main ends the process itself; never fall back into the server's code


# --- clean-up between jobs -----------------------------------------------------------------


def clean_up(uid: int, jobs_root: str) -> str | None:
    """Kill and reap whatever the job left; None when the sandbox is pristine again."""
    _kill_all()
    _reap_all(deadline=time.monotonic() + 10)
    _wipe_tmp(uid, jobs_root)
    left = _other_processes()
    if left:
        return f"processes survived the job: {left[:5]}"
    for kind in ("shm", "sem", "msg"):
        try:
            with open(f"/proc/sysvipc/{kind}") as handle:
                if len(handle.read().splitlines()) > 1:
                    return f"the job left System V {kind} objects"
        except OSError:
            continue
    with contextlib.suppress(OSError):
        if os.listdir("/dev/mqueue"):
            return "the job left POSIX message queues"
    keep = _tmp_keep(jobs_root)
    extra = sorted(set(os.listdir("/tmp")) - keep)
    if extra:
        return f"/tmp could not be wiped: {extra[:5]}"
    with contextlib.suppress(FileNotFoundError):
        if left_data := os.listdir(DATA_MOUNT):
            return f"{DATA_MOUNT} could not be wiped: {sorted(left_data)[:5]}"
    return None


def _kill_all() -> None:
    # Every process of this namespace but init and this server.
    with contextlib.suppress(ProcessLookupError):
        os.kill(-1, signal.SIGKILL)


def _reap_all(deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if not _other_processes():
                return
            _kill_all()
            time.sleep(0.005)


def _other_processes() -> list[int]:
    me = os.getpid()
    return [
        int(name) for name in os.listdir("/proc") if name.isdigit() and int(name) not in (1, me)
    ]


DATA_MOUNT = "/evals-data"
"""The samples' database tmpfs (evals.execute.warm_worker.DATA_MOUNT): wiped like /tmp."""
_TMP_AT_START: set[str] = set()
"""What /tmp held before any job: mount points bwrap made for binds under /tmp (the jobs
folder, and the interpreter or venv when the checkout itself lives under /tmp)."""


def _tmp_keep(jobs_root: str) -> set[str]:
    parts = os.path.normpath(jobs_root).split(os.sep)
    own = {parts[2]} if len(parts) > 2 and parts[1] == "tmp" else set()
    return own | _TMP_AT_START


def _wipe_tmp(uid: int, jobs_root: str) -> None:
    """Remove what the job left in /tmp and the database tmpfs, as the job's uid (the only one
    that wrote there)."""
    keep = _tmp_keep(jobs_root)
    left = [os.path.join("/tmp", n) for n in os.listdir("/tmp") if n not in keep]
    with contextlib.suppress(FileNotFoundError):
        left += [os.path.join(DATA_MOUNT, n) for n in os.listdir(DATA_MOUNT)]
    if not left:
        return
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.closerange(3, 65536)  # the control pipes stay with the server
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            for path in left:
                _remove(path)
            code = 0
        finally:
            os._exit(code)
    os.waitpid(pid, 0)


def _remove(path: str) -> None:
    def retry(func: Callable[[str], object], failed: str, _exc: object) -> None:
        try:
            os.chmod(os.path.dirname(failed), 0o700)
            func(failed)
        except OSError:
            pass

    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, 0o700)
        shutil.rmtree(path, onerror=retry)
    else:
        with contextlib.suppress(OSError):
            os.unlink(path)


# --- main ----------------------------------------------------------------------------------


def main(role: str, *flags: str) -> None:
    if role not in ROLES or not set(flags) <= {FUZZ_FLAG}:
        raise SystemExit(f"usage: warm_server.py {{{'|'.join(ROLES)}}} [{FUZZ_FLAG}]")
    # Grading yields the CPU to the harness: a turn of generation waits on the harness's event
    # loop, and a busy grading worker would stretch every turn of every sample in flight.
    os.nice(NICENESS)
    _TMP_AT_START.update(os.listdir("/tmp"))
    requests, replies = take_control_channel()
    if _LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")
    started = time.monotonic()
    loaded = preload(role, fuzz=FUZZ_FLAG in flags)
    if role == "judge":
        warm_caches()
    # The children only read these objects: keep the collector from touching (copying) them.
    gc.collect()
    gc.freeze()
    base_path = list(sys.path)  # started with -P: no script folder in it
    threads = len(os.listdir("/proc/self/task"))
    if threading.active_count() != 1 or threads != 1:
        send(replies, {"ready": False, "error": f"{threads} threads after preload; need 1"})
        return
    top_level = sorted({name.partition(".")[0] for name in loaded})
    send(
        replies,
        {
            "ready": True,
            "preloaded": top_level,
            "modules": len(loaded),
            "seconds": round(time.monotonic() - started, 3),
        },
    )
    for job in requests_from(requests):
        if job.get("op") == "exit":
            return
        if job.get("op") == "abort":
            continue  # meant for a job that has ended by now
        try:
            if role == "judge":
                precompile_tests(str(job["runtime"]))
            reply = run_job(job, base_path, requests)
        except Exception as exc:  # the harness replaces a worker that errs
            reply = {"id": job.get("id"), "error": f"{type(exc).__name__}: {exc}"}
        send(replies, reply)
        del job


if __name__ == "__main__":
    main(*(sys.argv[1:] or [""]))
