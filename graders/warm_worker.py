"""One warm worker: a pre-imported grading server in its own bubblewrap sandbox.

The server (``evals_runtime/warm_server.py``) runs inside the same namespaces and read-only
binds as fresh mode's sandbox, as the namespace's init and as uid 0 with three capabilities
(setuid, setgid, kill); it forks a child per job that drops to the uid this worker leased for
its lifetime, so a sample can neither signal nor trace the server nor reach later samples.
This module starts the server, lays out each job (:func:`graders.execution.prepare`), talks
to the server over its pipes, watches the job's folders as fresh mode's sandbox does, and
turns the reply into an :class:`Execution`. :mod:`graders.warm` pools workers.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import selectors
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from evals import sandbox as sb
from evals.errors import SandboxError
from graders.execution import (
    RUNTIME_DIR,
    WARM_PREFIX,
    Execution,
    grading_env,
    keep_logs,
    prepare,
    pytest_args,
    read_streams,
)

if TYPE_CHECKING:
    from graders.base import GradeContext

SERVER = RUNTIME_DIR / "warm_server.py"
READY_TIMEOUT_S = 180.0
"""A worker imports the whole stack before it answers; a loaded machine is slow at it."""
REPLY_MARGIN_S = 30.0
"""How long past a job's own time limit the server may take to kill, reap and answer."""
# uid 0 of the worker's sandbox keeps only what it needs to hand each child another uid and
# to kill what a job leaves; the children lose even these when they drop to the sample's uid.
SERVER_CAPS = "-all,+setuid,+setgid,+kill"
WATCH_INTERVAL_S = getattr(sb, "WATCH_INTERVAL_S", 0.25)
DATA_MOUNT = "/evals-data"
"""A tmpfs of the worker's own for the samples' databases (``evals_runtime.warm_server`` wipes
it after every job). Apart from ``/tmp``, so a sample's ``/tmp`` holds exactly what fresh
mode's does; sized like the disk budget fresh mode gives its data folder."""
DATA_DIR = f"{DATA_MOUNT}/sample"
"""Where a warm child keeps the sample's database (the child creates it, as the sample's uid)."""


class WorkerError(SandboxError):
    """A warm worker failed or could not start; the sample is graded fresh instead."""


class Worker:
    """One sandboxed warm server and the uid its children run as (leased for its lifetime)."""

    def __init__(self, sandbox: sb.Sandbox, python: str, cpu: int | None = None) -> None:
        self.cpu = cpu
        """The core this worker's children run on (None: wherever the kernel puts them)."""
        self._stack = contextlib.ExitStack()
        self.proc: subprocess.Popen[bytes] | None = None
        self.broken: str | None = None
        self.last_cpu_s = 0.0
        """CPU seconds the last job's child (and what it waited for) used."""
        self._ids = itertools.count(1)
        self._buffer = b""
        started = time.monotonic()
        try:
            self.uid = self._stack.enter_context(sb._uid_lease())
            # Named for this process, so a later run sweeps it if this one is killed (-9).
            self.root = Path(tempfile.mkdtemp(prefix=f"{WARM_PREFIX}{os.getpid()}-"))
            self._stack.callback(shutil.rmtree, self.root, True)
            os.chmod(self.root, 0o755)
            self.jobs = self.root / "jobs"
            server_dir = self.root / "server"
            for folder in (self.jobs, server_dir):
                folder.mkdir(mode=0o755)
                os.chmod(folder, 0o755)
            shutil.copy2(SERVER, server_dir / SERVER.name)
            command = worker_command(
                sandbox, python, server_dir / SERVER.name, self.jobs, server_dir, self.uid
            )
            with open(self.root / "server.log", "wb") as log:
                self.proc = subprocess.Popen(
                    command,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    env=dict(sb.SAFE_ENV),
                    cwd=self.root,
                    start_new_session=True,
                    close_fds=True,
                )
            hello = self._receive(time.monotonic() + READY_TIMEOUT_S)
            if not hello.get("ready"):
                raise WorkerError(f"warm worker not ready: {hello.get('error', hello)}")
        except BaseException:
            self.close()
            raise
        self.preloaded = frozenset(str(n) for n in hello.get("preloaded", ()))
        self.startup_s = time.monotonic() - started

    # --- one job ----------------------------------------------------------------------------

    def run(self, ctx: GradeContext) -> Execution:
        """Grade one sample; raises :class:`WorkerError` when the worker (not the sample) fails."""
        job_id = next(self._ids)
        scratch = self.jobs / str(job_id)
        scratch.mkdir(mode=0o755)
        os.chmod(scratch, 0o755)  # the job's uid must reach its folders; root keeps the rest
        try:
            layout = prepare(scratch, ctx)
            for key in ("work", "out"):
                sb._chown_tree(layout[key], self.uid)
            data_dir: str | None = DATA_DIR
            if any(layout["data"].iterdir()):  # prepared content: leave it where it is
                sb._chown_tree(layout["data"], self.uid)
                data_dir = None
            else:
                # Same path as in fresh mode (DATABASE_URL reads the same), but the folder lives
                # on the worker's tmpfs: hidden suites commit hundreds of times, and on a disk
                # each commit waits for an fsync (tens of ms on a busy machine). The child
                # creates the folder, as the sample's uid.
                layout["data"].rmdir()
                layout["data"].symlink_to(DATA_DIR)
            log_dir = scratch / "log"
            log_dir.mkdir(mode=0o755)
            limits = sb.Limits(timeout_s=ctx.case.timeout_s)
            argv = [
                str(layout["out"]), ctx.case.entrypoint, str(layout["work"]),
                "--", *pytest_args(layout["hidden"]),
            ]  # fmt: skip
            request = {
                "id": job_id,
                "uid": self.uid,
                "cwd": str(layout["work"]),
                "hidden": str(layout["hidden"]),
                "data_dir": data_dir,
                "jobs_root": str(self.jobs),
                "log_dir": str(log_dir),
                "argv": argv,
                "env": {**sb.SAFE_ENV, **grading_env(ctx, layout)},
                "rlimits": rlimits(limits),
                "timeout": limits.timeout_s,
                "cpu": self.cpu,
            }
            self._send(request)
            watched = [layout["work"], layout["out"], self._inside(DATA_DIR)]
            if data_dir is None:
                watched[2] = layout["data"]
            reply, exceeded = self._await_reply(job_id, limits, watched)
            execution = Execution(nonce=layout["nonce"])
            execution.returncode = int(reply["returncode"])
            execution.timed_out = bool(reply["timed_out"])
            if exceeded:
                execution.exceeded = exceeded
                execution.returncode = -9  # as fresh mode's Popen reports its group kill
            execution.duration_s = float(reply["duration"])
            execution.isolation = "bwrap (warm)"
            execution.stdout = _tail(log_dir / "stdout.txt", limits.output_chars)
            execution.stderr = _tail(log_dir / "stderr.txt", limits.output_chars)
            read_streams(execution, layout["out"])
            keep_logs(scratch, ctx.grade_dir)
            self.last_cpu_s = float(reply.get("cpu", 0.0))
            # The job ran in a clean sandbox; if it left dirt, only later jobs would suffer.
            if reply.get("dirty"):
                self.broken = str(reply["dirty"])
            elif left := sb._processes_of(self.uid):
                self.broken = f"processes of uid {self.uid} survived the job: {left[:5]}"
            return execution
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _await_reply(
        self, job_id: int, limits: sb.Limits, watched: list[Path]
    ) -> tuple[dict[str, Any], str | None]:
        """The server's reply, watching the job's folders as fresh mode's sandbox does."""
        deadline = time.monotonic() + limits.timeout_s + REPLY_MARGIN_S
        exceeded: str | None = None
        while True:
            reply = self._receive(deadline, slice_s=WATCH_INTERVAL_S)
            if reply is not None:
                break
            if exceeded is None and sb._over_disk_limit(watched, limits):
                exceeded = "disk"
                self._kill_job()
        if reply.get("id") != job_id or "error" in reply:
            raise WorkerError(f"warm worker failed: {reply.get('error', reply)}")
        if reply.get("setup_error"):
            raise WorkerError(f"warm child failed to set up: {reply['setup_error']}")
        if reply.get("aborted"):
            raise WorkerError("warm worker stopped the job: the pool is closing")
        return reply, exceeded

    def _kill_job(self) -> None:
        """Kill every process of the job's uid; the server sees its child die and answers."""
        for _ in range(50):
            pids = sb._processes_of(self.uid)
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, 9)
            time.sleep(0.01)

    def _inside(self, path: str) -> Path:
        """A path of the worker's sandbox as the host sees it (through its init's root)."""
        assert self.proc is not None
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
            return Path(f"/proc/{children.split()[0]}/root{path}")
        except (OSError, IndexError):
            return Path("/nonexistent")

    # --- the control channel -------------------------------------------------------------------

    def _send(self, record: dict[str, Any]) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(record) + "\n").encode())
            self.proc.stdin.flush()
        except OSError as exc:
            raise WorkerError(f"warm worker is gone: {exc}{self._log_tail()}") from exc

    @overload
    def _receive(self, deadline: float) -> dict[str, Any]: ...
    @overload
    def _receive(self, deadline: float, slice_s: float) -> dict[str, Any] | None: ...

    def _receive(self, deadline: float, slice_s: float | None = None) -> dict[str, Any] | None:
        """The next reply; with ``slice_s``, None when none came within that slice."""
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        until = deadline if slice_s is None else min(deadline, time.monotonic() + slice_s)
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                remaining = until - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    if slice_s is not None and time.monotonic() < deadline:
                        return None
                    raise WorkerError(f"warm worker did not answer in time{self._log_tail()}")
                try:
                    chunk = os.read(fd, 65536)
                except OSError as exc:
                    raise WorkerError(f"warm worker is gone: {exc}") from exc
                if not chunk:
                    raise WorkerError(f"warm worker exited{self._log_tail()}")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise WorkerError(f"warm worker sent garbage: {line[:200]!r}") from exc
        if not isinstance(record, dict):
            raise WorkerError(f"warm worker sent garbage: {line[:200]!r}")
        return record

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError):
            text = (self.root / "server.log").read_text(errors="replace").strip()
            if text:
                return f": {text[-1500:]}"
        return ""

    def kill(self) -> None:
        """Kill the sandbox at once (from another thread: a job in flight fails)."""
        proc = self.proc
        if proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, 9)

    def close(self) -> None:
        """Stop the server, wait until its uid has no process left, give the uid back."""
        proc, self.proc = self.proc, None
        if proc is not None:
            with contextlib.suppress(OSError, ValueError):
                assert proc.stdin is not None
                proc.stdin.write(b'{"op": "exit"}\n')
                proc.stdin.close()
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, 9)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=10)
            with contextlib.suppress(OSError, ValueError):
                assert proc.stdout is not None
                proc.stdout.close()
            if hasattr(self, "uid"):
                sb._wait_until_no_processes(self.uid)
        self._stack.close()


def rlimits(limits: sb.Limits) -> dict[str, int]:
    """The rlimits fresh mode sets with prlimit, by ``resource`` constant name."""
    return {
        "RLIMIT_AS": limits.memory_mb * 1024 * 1024,
        "RLIMIT_CPU": int(limits.timeout_s) + 5,
        "RLIMIT_FSIZE": limits.fsize_mb * 1024 * 1024,
        "RLIMIT_NOFILE": limits.nofile,
        "RLIMIT_NPROC": limits.nproc,
        "RLIMIT_CORE": 0,
    }


def worker_command(
    sandbox: sb.Sandbox, python: str, server: Path, jobs: Path, server_dir: Path, uid: int
) -> list[str]:
    """bwrap as fresh mode builds it (same namespaces and binds), around the warm server.

    The bwrap part is taken from :meth:`Sandbox._wrap`, so hardening there applies here;
    only what follows bwrap's options differs (uid 0 with three capabilities instead of a
    drop to the leased uid: the server hands that uid to each child).
    """
    try:
        command = sandbox._wrap(
            [python, str(server)],
            cwd=jobs,
            mounts=[sb.Mount(jobs, writable=True), sb.Mount(server_dir)],
            env=dict(sb.SAFE_ENV),
            uid=uid,
            limits=sb.Limits(),
        )
        end = command.index("--chdir") + 2
    except (TypeError, ValueError) as exc:
        raise WorkerError(f"cannot build the warm worker's sandbox: {exc}") from exc
    if command[0] != "bwrap" or command[end] != "--":
        raise WorkerError("cannot build the warm worker's sandbox: unexpected bwrap command")
    size = ["--size", str(sb.Limits().disk_mb * 1024 * 1024)] if sb._bwrap_has_size() else []
    return [
        *command[:end],
        *size, "--perms", "1777", "--tmpfs", DATA_MOUNT,
        # A private POSIX message-queue filesystem, so the server can see (and refuse to
        # carry over) queues a job leaves behind.
        "--mqueue", "/dev/mqueue",
        # The server is the namespace's init, as bwrap's own init is in fresh mode: a child
        # sees one other process, PID 1, its parent, and kill(-1) finds nobody to signal.
        "--as-pid-1",
        "--", "setpriv", f"--bounding-set={SERVER_CAPS}", "--inh-caps=-all",
        "--no-new-privs", "--", python, "-P", str(server),
    ]  # fmt: skip


def _tail(path: Path, chars: int) -> str:
    try:
        return sb._tail(path, chars)
    except OSError:
        return ""
