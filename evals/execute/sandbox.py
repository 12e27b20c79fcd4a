"""Run untrusted generated code: isolated, bounded, and unable to outlive its time limit.

Levels, best first (``../shared/SANDBOX.md`` has the measurements behind each choice):

``bwrap``
    bubblewrap with its own PID, network, IPC and UTS namespaces and a fresh root holding only
    read-only system and interpreter binds, the sample's writable folders and a small tmpfs.
    Started by root, it sets up the mounts (the interpreter may live under a root-only
    folder) and then ``setpriv`` drops to a leased non-root uid with no capabilities and
    ``no_new_privs``, so RLIMIT_NPROC holds and nothing of the host can be signalled or
    written. Started by a non-root user, bwrap runs in its own user namespace instead.
``unshare``
    ``unshare`` PID, network, IPC, UTS and mount namespaces (no survivors, no network, a
    private ``/proc``), rlimits, and the same ``setpriv`` drop to a leased non-root uid when
    started by root. There is no private filesystem: the code sees the host's world-readable
    files and may write world-writable folders such as ``/tmp``. Used only when bubblewrap
    cannot run.
``none``
    rlimits, a new session and a scrubbed environment only: refused unless the user passes
    ``--unsafe-local``.

Output goes to files (never pipes: a daemonised grandchild could hold a pipe open), capped
by RLIMIT_FSIZE; the wall-clock timeout kills the namespace's init, which takes every process
in it along. The harness's own death does too, at any moment, even while the sandbox is being
set up: a watcher in a PID namespace around the sandbox's holds a pipe only the harness
writes to, and kills everything once it reads end-of-file (:data:`WATCH_OUTSIDE`).
What the writable folders hold is watched while the code runs: past ``Limits.disk_mb`` (or
too many files) the run is killed, so many capped files cannot fill the host's disk.
:func:`stop_all` ends every running sandbox at once (an interrupted run).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from evals.errors import SandboxError
from evals.execute import seccomp

LEVELS = ("bwrap", "unshare", "none")
BASE_UID = 61000
SAFE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "TZ": "UTC",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "1",
    "HOME": "/tmp",
    "TMPDIR": "/tmp",
}


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 60.0
    memory_mb: int = 3072
    fsize_mb: int = 64
    nofile: int = 512
    nproc: int = 256
    output_chars: int = 20_000
    """How much of stdout/stderr is kept (the tail) in the result."""
    tmpfs_mb: int = 256
    """Size of the private ``/tmp`` (bwrap): it lives in RAM, so it must be bounded."""
    disk_mb: int = 1024
    """What the writable mounts may hold in all; beyond it the run is killed."""
    disk_files: int = 20_000
    """How many entries the writable mounts may hold; beyond it the run is killed."""


@dataclass(frozen=True)
class Mount:
    source: Path
    writable: bool = False
    target: Path | None = None
    """Where the sandbox sees ``source`` (bwrap only); by default at its own path. A ``cwd``
    inside ``source`` is entered at the same place under ``target``."""


@dataclass(frozen=True)
class Result:
    returncode: int | None
    stdout: str
    stderr: str
    timed_out: bool
    duration_s: float
    isolation: str
    uid: int | None = None
    exceeded: str | None = None
    """Set when the run was killed for a resource limit the harness watches (``"disk"``)."""
    stopped: bool = False
    """Ended on purpose by the caller (see ``started`` in :meth:`Sandbox.run`)."""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


@dataclass
class Sandbox:
    """Runs commands at one isolation level; each concurrent run leases its own uid."""

    level: str

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise SandboxError(f"unknown isolation level {self.level!r}")

    @property
    def can_relocate(self) -> bool:
        """Whether a :class:`Mount` may name a ``target`` (a private filesystem: bwrap)."""
        return self.level == "bwrap"

    def run(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        mounts: Sequence[Mount],
        env: Mapping[str, str] | None = None,
        limits: Limits | None = None,
        log_dir: Path,
        started: Callable[[Callable[[], None]], None] | None = None,
    ) -> Result:
        """Run ``argv`` isolated; stdout/stderr land in ``log_dir`` and their tails in the result.

        Paths inside the sandbox are the host paths of ``mounts`` (bound at the same place),
        so a command line reads the same at every level. ``started``, when given, receives a
        function that ends the run from another thread (the result says ``stopped``).
        """
        limits = limits or Limits()
        if not self.can_relocate and any(m.target is not None for m in mounts):
            raise SandboxError(
                f"isolation {self.level!r} cannot mount a folder elsewhere (bwrap can)"
            )
        with _uid_lease() as uid, seccomp.program_fd() as filter_fd:
            for mount in mounts:
                if mount.writable:
                    _chown_tree(mount.source, uid)
            full_env = {**SAFE_ENV, **(env or {})}
            command = self._wrap(
                list(argv), cwd=cwd, mounts=mounts, env=full_env, uid=uid, limits=limits,
                watch=True, seccomp_fd=filter_fd,
            )  # fmt: skip
            if self.level == "none":
                command = _tie_to_harness(command)
            watched = [m.source for m in mounts if m.writable]
            inherit = (filter_fd,) if filter_fd is not None else ()
            result = _execute(
                command, cwd, full_env, limits, log_dir, self.level, uid, watched, inherit,
                started,
            )  # fmt: skip
            # Nothing may outlive the run: wait for the uid to drain before handing it on.
            if self.level != "none" and os.geteuid() == 0:
                _wait_until_no_processes(uid)
            return result

    # --- levels -----------------------------------------------------------------------------

    def _wrap(
        self,
        argv: list[str],
        *,
        cwd: Path,
        mounts: Sequence[Mount],
        env: Mapping[str, str],
        uid: int,
        limits: Limits,
        watch: bool = False,
        seccomp_fd: int | None = None,
    ) -> list[str]:
        """The command line that runs ``argv`` at this level.

        With ``watch``, a watcher on the harness's pipe comes first (:data:`WATCH_OUTSIDE`),
        and the sandbox's stdin must be that pipe's read end. ``seccomp_fd`` (inherited by
        the command) holds :mod:`evals.execute.seccomp`'s filter for bwrap; the other levels install
        the same filter with a launcher.
        """
        if self.level == "none":
            return [*_prlimit_args(limits), *argv] if shutil.which("prlimit") else argv
        root = os.geteuid() == 0
        command = self._isolate(
            argv, cwd=cwd, mounts=mounts, env=env, uid=uid, limits=limits,
            watch_inside=watch and not root, seccomp_fd=seccomp_fd,
        )  # fmt: skip
        if watch and root:
            # The watcher gets a PID namespace of its own around the sandbox's: it can kill
            # everything nested in it, and the sample never sees it.
            return ["unshare", "--pid", "--fork", "--kill-child", "--", *WATCH_OUTSIDE, *command]
        return command

    def _isolate(
        self,
        argv: list[str],
        *,
        cwd: Path,
        mounts: Sequence[Mount],
        env: Mapping[str, str],
        uid: int,
        limits: Limits,
        watch_inside: bool,
        seccomp_fd: int | None = None,
    ) -> list[str]:
        rlimits = _prlimit_args(limits)
        # bwrap loads the filter itself; unshare has no such option.
        launcher = seccomp.launcher_args(sys.executable) if self.level == "unshare" else []
        # The launcher runs before the drop: the interpreter may sit in a folder only root
        # can reach (setpriv's own exec of it works; a dropped process's would not).
        inner = [*rlimits, *launcher, *_drop_privileges(uid), *argv]
        if os.geteuid() != 0 and self.level == "bwrap":
            inner = [*rlimits, *argv]  # bwrap's own user namespace has dropped everything
        if watch_inside:
            # Without root no PID namespace can be made around the sandbox's: the watcher
            # runs inside it, as its root, in view of the sample.
            inner = [*WATCH_INSIDE, *inner]
        if self.level == "unshare":
            command = [
                "unshare", "--pid", "--fork", "--kill-child", "--net", "--ipc", "--uts",
                "--mount", "--mount-proc", "--propagation", "private",
            ]  # fmt: skip
            if os.geteuid() != 0:
                command.append("--map-root-user")
            return [*command, "--", *inner]
        command = [
            "bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--clearenv",
        ]  # fmt: skip
        for key, value in env.items():
            command += ["--setenv", key, value]
        for system_dir in ("/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc"):
            if os.path.exists(system_dir):
                command += ["--ro-bind", system_dir, system_dir]
        command += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777"]
        if _bwrap_has_size():
            command += ["--size", str(limits.tmpfs_mb * 1024 * 1024)]
        command += ["--tmpfs", "/tmp"]
        made: set[str] = set()
        ro_roots = sorted({sys.base_prefix, sys.prefix, *_interpreter_roots()})
        for root in ro_roots:
            command += [*_ancestor_dirs(root, made), "--ro-bind", root, root]
        inside = cwd
        for mount in mounts:
            src, dest = str(mount.source), str(mount.target or mount.source)
            command += _ancestor_dirs(dest, made)
            command += ["--bind" if mount.writable else "--ro-bind", src, dest]
            if mount.target is not None and cwd.is_relative_to(mount.source):
                inside = mount.target / cwd.relative_to(mount.source)
        if seccomp_fd is not None:
            command += ["--seccomp", str(seccomp_fd)]
        command += ["--chdir", str(inside)]
        if os.geteuid() != 0:
            command[1:1] = ["--unshare-user", "--cap-drop", "ALL"]
        return [*command, "--", *inner]


# A watcher reads the harness's pipe, which only the harness can write to. When the harness
# is gone, however it died, the read ends and the watcher kills every process of its PID
# namespace, over and over until the namespace is gone (kill -1 spares only the namespace's
# init and the watcher; whatever starts later is caught by the next round). Parent-death
# signals alone leave a gap: a harness killed while bwrap or unshare is still setting up
# orphans the sandbox for good. Nothing in the sandbox keeps the pipe: stdin is /dev/null.
_WATCH = (
    "exec 3<&0 0</dev/null; (cat <&3 >/dev/null; while :; do kill -KILL -1; sleep 0.05; done) &"
)
WATCH_OUTSIDE = ["/bin/sh", "-c", f'{_WATCH} exec 3<&-; exec "$@"', "sh"]
"""Becomes the sandbox (bwrap or unshare) as init of the watcher's own PID namespace."""
WATCH_INSIDE = ["/bin/sh", "-c", f'{_WATCH} exec 3<&-; "$@"; exit $?', "sh"]
"""Runs inside the sandbox's namespace, as its root, and waits for the sample."""


def _tie_to_harness(command: list[str]) -> list[str]:
    """Without a namespace (level ``none``): kill the command when the harness dies.

    The parent-death signal is set first, then the parent is checked to still be this process
    (were the harness killed in between, the command would have been re-parented). Only the
    command itself is covered, not what it forks: that level is unsafe by definition.
    """
    if shutil.which("setpriv") is None:
        return command
    check = f'[ "$PPID" = "{os.getpid()}" ] || exit 125; exec "$@"'
    return ["setpriv", "--pdeathsig", "KILL", "--", "/bin/sh", "-c", check, "sh", *command]


def _drop_privileges(uid: int) -> list[str]:
    """setpriv to ``uid`` (when root) with no capabilities, ever, and no_new_privs."""
    ids = [f"--reuid={uid}", f"--regid={uid}", "--clear-groups"] if os.geteuid() == 0 else []
    return [
        "setpriv", *ids, "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
        "--pdeathsig", "KILL", "--",
    ]  # fmt: skip


@cache
def _bwrap_has_size() -> bool:
    """``--size`` for tmpfs came with bubblewrap 0.6; older ones get an unbounded /tmp."""
    try:
        out = subprocess.run(["bwrap", "--help"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "--size" in out.stdout + out.stderr


UID_RANGE = range(BASE_UID, BASE_UID + 512)
_LOCK_DIR = Path("/tmp/evals-uids")
_process_lock = threading.Lock()


@contextlib.contextmanager
def _uid_lease() -> Iterator[int]:
    """A uid no other sandbox run uses right now, in this process or any other.

    Each uid is held with an flock on its own file, so two harness processes running at once
    never share a uid (one run's clean-up would otherwise kill the other's processes), and
    RLIMIT_NPROC counts one sample's processes only.
    """
    _LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
    while True:
        with _process_lock:
            for uid in UID_RANGE:
                handle = os.open(_LOCK_DIR / str(uid), os.O_CREAT | os.O_RDWR, 0o600)
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(handle)
                    continue
                break
            else:
                handle = -1
        if handle >= 0:
            break
        time.sleep(0.05)
    try:
        _wait_until_no_processes(uid)
        yield uid
    finally:
        # Nothing a sample stored in the kernel under this uid reaches the next holder.
        with contextlib.suppress(OSError):
            seccomp.clear_keyrings(uid)
        os.close(handle)


def _prlimit_args(limits: Limits) -> list[str]:
    cpu = int(limits.timeout_s) + 5
    return [
        "prlimit",
        f"--as={limits.memory_mb * 1024 * 1024}",
        f"--cpu={cpu}",
        f"--fsize={limits.fsize_mb * 1024 * 1024}",
        f"--nofile={limits.nofile}",
        f"--nproc={limits.nproc}",
        "--core=0",
        "--",
    ]


_live: set[subprocess.Popen[bytes]] = set()
_live_lock = threading.Lock()


class DiskWatch:
    """Looks at the writable folders often enough that a fast writer cannot get far past
    ``Limits.disk_mb`` (page-cache writes reach GB/s: a quarter-second look let 400 MB
    through a 64 MB limit), yet never spends more than about a tenth of a core looking (a
    folder of many entries takes longer to walk, so it is walked less often)."""

    SHORTEST_S = 0.05
    COST_SHARE = 0.1

    def __init__(self, roots: Sequence[Path], limits: Limits) -> None:
        self.roots, self.limits = list(roots), limits
        self.interval_s = self.SHORTEST_S

    def over_limit(self) -> bool:
        if not self.roots:
            return False
        started = time.monotonic()
        over = _over_disk_limit(self.roots, self.limits)
        spent = time.monotonic() - started
        self.interval_s = max(self.SHORTEST_S, spent / self.COST_SHARE)
        return over


def stop_all() -> None:
    """Kill every sandbox this process is running, so an interrupted run exits promptly."""
    with _live_lock:
        running = list(_live)
    for proc in running:
        _kill_group(proc.pid)


def _execute(
    command: list[str],
    cwd: Path,
    env: Mapping[str, str],
    limits: Limits,
    log_dir: Path,
    level: str,
    uid: int,
    watched: Sequence[Path] = (),
    inherit: Sequence[int] = (),
    started: Callable[[Callable[[], None]], None] | None = None,
) -> Result:
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / "stdout.txt", log_dir / "stderr.txt"
    # The harness holds the only write end of this pipe for as long as it lives (WATCH_OUTSIDE).
    watch_read, watch_write = os.pipe() if level != "none" else (subprocess.DEVNULL, -1)
    start = time.monotonic()
    deadline = start + limits.timeout_s
    timed_out = False
    exceeded: str | None = None
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        try:
            proc = subprocess.Popen(
                command,
                cwd=cwd,
                env=dict(env),
                stdin=watch_read,
                stdout=out,
                stderr=err,
                start_new_session=True,
                close_fds=True,
                pass_fds=tuple(inherit),
            )
        except OSError as exc:
            if watch_write >= 0:
                os.close(watch_write)
            raise SandboxError(f"cannot start sandbox ({level}): {exc}") from exc
        finally:
            if watch_read != subprocess.DEVNULL:
                os.close(watch_read)
        with _live_lock:
            _live.add(proc)
        stopped = threading.Event()

        def stop() -> None:
            stopped.set()
            _kill_group(proc.pid)

        if started is not None:
            started(stop)
        watch = DiskWatch(watched, limits)
        try:
            returncode: int | None = None
            while returncode is None:
                try:
                    returncode = proc.wait(
                        timeout=max(min(watch.interval_s, deadline - time.monotonic()), 0.01)
                    )
                except subprocess.TimeoutExpired:
                    if time.monotonic() >= deadline:
                        timed_out = True
                        break
                    if watch.over_limit():
                        exceeded = "disk"
                        break
            # The leader may be gone, but nothing it left in its group may linger.
            _kill_group(proc.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
            returncode = proc.returncode
        finally:
            if watch_write >= 0:
                os.close(watch_write)  # whatever is left in the namespace dies with it
            with _live_lock:
                _live.discard(proc)
    return Result(
        returncode=returncode,
        stdout=_tail(out_path, limits.output_chars),
        stderr=_tail(err_path, limits.output_chars),
        timed_out=timed_out,
        duration_s=time.monotonic() - start,
        isolation=level,
        uid=uid,
        exceeded=exceeded,
        stopped=stopped.is_set(),
    )


def _over_disk_limit(roots: Sequence[Path], limits: Limits) -> bool:
    """Whether the writable mounts hold more than the limits allow (allocated blocks)."""
    budget_bytes, budget_files = limits.disk_mb * 1024 * 1024, limits.disk_files
    used, entries = 0, 0
    stack = [str(root) for root in roots]
    while stack:
        try:
            with os.scandir(stack.pop()) as listing:
                for entry in listing:
                    entries += 1
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    used += info.st_blocks * 512
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    if used > budget_bytes or entries > budget_files:
                        return True
        except OSError:
            continue
    return False


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _tail(path: Path, chars: int) -> str:
    size = path.stat().st_size
    with open(path, "rb") as handle:
        if size > chars * 4:
            handle.seek(size - chars * 4)
        data = handle.read().decode("utf-8", errors="replace")
    if len(data) > chars or size > chars * 4:
        return f"[... {size} bytes in all, tail shown ...]\n" + data[-chars:]
    return data


def _ancestor_dirs(path: str, made: set[str]) -> list[str]:
    """bwrap makes missing parents 0700; make them 0755 so the non-root uid can traverse."""
    args: list[str] = []
    parts = Path(path).parts
    for i in range(2, len(parts)):
        parent = str(Path(*parts[:i]))
        if parent in made or parent in ("/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc"):
            continue
        made.add(parent)
        args += ["--perms", "0755", "--dir", parent]
    return args


def _interpreter_roots() -> list[str]:
    real = os.path.realpath(sys.executable)
    return [str(Path(real).parent.parent)]


def _chown_tree(root: Path, uid: int) -> None:
    if os.geteuid() != 0:
        return
    os.chown(root, uid, uid)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.lchown(os.path.join(dirpath, name), uid, uid)


def _wait_until_no_processes(uid: int, timeout_s: float = 10.0) -> None:
    """After a fork bomb the uid's processes take a moment to drain; reuse it only then."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not _processes_of(uid):
            return
        time.sleep(0.05)
    for pid in _processes_of(uid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _processes_of(uid: int) -> list[int]:
    """Processes owned by ``uid`` (a non-dumpable one's files turn root's; its folder does not)."""
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid == uid:
                pids.append(int(entry.name))
        except FileNotFoundError:
            continue
    return pids


@cache
def probe(level: str) -> str | None:
    """Why ``level`` cannot run on this machine, or None when it can."""
    if level == "none":
        return None
    tool = "bwrap" if level == "bwrap" else "unshare"
    if shutil.which(tool) is None or shutil.which("prlimit") is None:
        return f"{tool} is not installed"
    if level == "bwrap" and os.geteuid() == 0 and shutil.which("setpriv") is None:
        return "setpriv is not installed"
    sandbox = Sandbox(level)
    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"evals-probe-{os.getpid()}"
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        result = sandbox.run(
            [sys.executable, "-c", "import os; print(os.getuid())"],
            cwd=scratch,
            mounts=[Mount(scratch, writable=True)],
            limits=Limits(timeout_s=20),
            log_dir=scratch / "log",
        )
    except SandboxError as exc:
        return str(exc)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if not result.ok:
        return (result.stderr or result.stdout).strip()[-300:] or f"exit {result.returncode}"
    return None


def choose_level(requested: str = "auto", *, allow_unsafe: bool = False) -> str:
    """The best level that works here; ``none`` only with explicit consent."""
    if requested != "auto":
        if requested == "none" and not allow_unsafe:
            raise SandboxError(
                "isolation 'none' runs generated code unconfined: pass --unsafe-local"
            )
        if reason := probe(requested):
            raise SandboxError(f"isolation {requested!r} is unavailable: {reason}")
        return requested
    reasons = []
    for level in ("bwrap", "unshare"):
        reason = probe(level)
        if reason is None:
            return level
        reasons.append(f"{level}: {reason}")
    if allow_unsafe:
        return "none"
    raise SandboxError(
        "no sandbox is available (" + "; ".join(reasons) + "). Install bubblewrap "
        "(apt-get install bubblewrap), or pass --unsafe-local to run generated code unconfined."
    )
