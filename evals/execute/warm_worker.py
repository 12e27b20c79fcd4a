"""Warm workers: pre-imported grading servers, each in its own bubblewrap sandbox.

A server (``evals_runtime/warm_server.py``) runs inside the same namespaces and read-only
binds as fresh mode's sandbox, as the namespace's init and as uid 0 with three capabilities
(setuid, setgid, kill); it forks a child per job that drops to the uid its worker leased for
its lifetime, so a sample can neither signal nor trace the server nor reach later samples.

A :class:`Pair` grades one sample at a time with two workers, as fresh mode does with two
sandboxes (:mod:`evals.execute.job`): an app worker whose child serves the sample's app on a
unix socket, and a judge worker whose child runs the hidden suite against it. They share no
writable folder: the judge's sandbox mounts the app worker's job folders read-only (for the
socket), and the app's data reaches the judge as copies the harness makes. The pair lays out
each job (:func:`evals.execute.job.prepare`), talks to both servers over their pipes, watches
the app's folders as fresh mode's sandbox does, and turns the replies into an
:class:`Execution`. :mod:`evals.execute.warm_pool` pools pairs.
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
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from evals.errors import SandboxError
from evals.execute import sandbox as sb
from evals.execute import seccomp, unicode_tables
from evals.execute.control import (
    APP_GRACE_S,
    ControlServer,
    copy_data,
    describe_app_exit,
    wait_for_app,
    write_exit_record,
)
from evals.execute.job import (
    RUNTIME_DIR,
    WARM_PREFIX,
    Layout,
    app_argv,
    app_env,
    judge_argv,
    judge_env,
    prepare,
    short_folder,
)
from evals.execute.record import Execution, keep_logs, read_streams

if TYPE_CHECKING:
    from evals.execute.job import SampleJob

SERVER = RUNTIME_DIR / "warm_server.py"
READY_TIMEOUT_S = 180.0
"""A worker imports the whole stack before it answers; a loaded machine is slow at it."""
REPLY_MARGIN_S = 30.0
"""How long past a job's own time limit the server may take to kill, reap and answer."""
# uid 0 of the worker's sandbox keeps only what it needs to hand each child another uid and
# to kill what a job leaves; the children lose even these when they drop to the sample's uid.
SERVER_CAPS = "-all,+setuid,+setgid,+kill"
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

    def __init__(
        self,
        sandbox: sb.Sandbox,
        python: str,
        cpu: int | None = None,
        *,
        role: str = "app",
        mounts: tuple[sb.Mount, ...] = (),
        fuzz: bool = False,
    ) -> None:
        """``fuzz`` (judges only): pre-import the generated-request stack, its tables beside."""
        self.role = role
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
            if fuzz:
                unicode_tables.install(server_dir, python)
            filter_fd = self._stack.enter_context(seccomp.program_fd())
            command = worker_command(
                sandbox, python, server_dir / SERVER.name, self.jobs, server_dir, self.uid,
                filter_fd, role=role, mounts=mounts, fuzz=fuzz,
            )  # fmt: skip
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
                    pass_fds=() if filter_fd is None else (filter_fd,),
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

    def new_job_dir(self) -> Path:
        folder = self.jobs / str(next(self._ids))
        folder.mkdir(mode=0o755)
        os.chmod(folder, 0o755)  # the job's uid must reach its folders; root keeps the rest
        return folder

    def submit(self, request: dict[str, Any]) -> int:
        """Send a job; its reply comes from :meth:`await_reply`. Returns the job's id."""
        job_id = next(self._ids)
        self._send({**request, "id": job_id, "uid": self.uid, "jobs_root": str(self.jobs),
                    "cpu": self.cpu})  # fmt: skip
        return job_id

    def abort(self) -> None:
        """End the running job now (the server kills its child and answers ``aborted``)."""
        self._send({"op": "abort"})

    def await_reply(
        self, job_id: int, limits: sb.Limits, watched: list[Path], *, abortable: bool = False
    ) -> tuple[dict[str, Any], str | None]:
        """The server's reply, watching the job's folders as fresh mode's sandbox does."""
        deadline = time.monotonic() + limits.timeout_s + REPLY_MARGIN_S
        exceeded: str | None = None
        watch = sb.DiskWatch(watched, limits)
        while True:
            reply = self._receive(deadline, slice_s=watch.interval_s)
            if reply is not None:
                break
            if exceeded is None and watch.over_limit():
                exceeded = "disk"
                self._kill_job()
        if reply.get("id") != job_id or "error" in reply:
            raise WorkerError(f"warm worker failed: {reply.get('error', reply)}")
        if reply.get("setup_error"):
            raise WorkerError(f"warm child failed to set up: {reply['setup_error']}")
        if reply.get("aborted") and not abortable:
            raise WorkerError("warm worker stopped the job: the pool is closing")
        self.last_cpu_s = float(reply.get("cpu", 0.0))
        # The job ran in a clean sandbox; if it left dirt, only later jobs would suffer.
        if reply.get("dirty"):
            self.broken = str(reply["dirty"])
        elif left := sb._processes_of(self.uid):
            self.broken = f"processes of uid {self.uid} survived the job: {left[:5]}"
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
    sandbox: sb.Sandbox,
    python: str,
    server: Path,
    jobs: Path,
    server_dir: Path,
    uid: int,
    seccomp_fd: int | None = None,
    *,
    role: str = "app",
    mounts: tuple[sb.Mount, ...] = (),
    fuzz: bool = False,
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
            mounts=[
                sb.Mount(jobs, writable=True),
                sb.Mount(server_dir),
                *mounts,
            ],
            env=dict(sb.SAFE_ENV),
            uid=uid,
            limits=sb.Limits(),
            seccomp_fd=seccomp_fd,
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
        "--no-new-privs", "--", python, "-P", str(server), role,
        # A judge of a run whose cases fuzz also pre-imports the generator (the server's
        # FUZZ_FLAG: it runs alone in its sandbox and imports nothing of ours).
        *(["--fuzz"] if fuzz else []),
    ]  # fmt: skip


def _tail(path: Path, chars: int) -> str:
    try:
        return sb._tail(path, chars)
    except OSError:
        return ""


class Pair:
    """Grades one sample at a time: an app worker serving it, a judge worker testing it."""

    def __init__(
        self, sandbox: sb.Sandbox, python: str, cpu: int | None = None, *, fuzz: bool = False
    ) -> None:
        self.cpu = cpu
        self.broken: str | None = None
        self.last_cpu_s = 0.0
        started = time.monotonic()
        # Sockets and control folders of the pair's jobs: short paths (sun_path holds 107
        # bytes), the app's side writable by the app worker only, the judge's by nobody.
        self.link = short_folder()
        self.sock_root, self.ctl_root = self.link / "sock", self.link / "ctl"
        for folder in (self.sock_root, self.ctl_root):
            folder.mkdir(mode=0o755)
        try:
            self.app = Worker(
                sandbox, python, cpu, role="app", mounts=(sb.Mount(self.sock_root, True),)
            )
        except BaseException:
            shutil.rmtree(self.link, ignore_errors=True)
            raise
        try:
            self.judge = Worker(
                sandbox, python, cpu, role="judge",
                mounts=(sb.Mount(self.sock_root), sb.Mount(self.ctl_root)), fuzz=fuzz,
            )  # fmt: skip
        except BaseException:
            self.app.close()
            shutil.rmtree(self.link, ignore_errors=True)
            raise
        self.preloaded = self.app.preloaded
        """What the app side pre-imported (a workspace shadowing one is graded fresh)."""
        self.startup_s = time.monotonic() - started

    def run(self, ctx: SampleJob) -> Execution:
        """Grade one sample; raises :class:`WorkerError` when a worker (not the sample) fails."""
        app_root, judge_root = self.app.new_job_dir(), self.judge.new_job_dir()
        sock, ctl = self.sock_root / app_root.name, self.ctl_root / app_root.name
        try:
            layout = prepare(app_root, ctx, judge_root, sock, ctl)
            # Log folders stay root's: the server opens the child's log files before the drop.
            for folder in (layout.work, layout.app_out, layout.sock):
                sb._chown_tree(folder, self.app.uid)
            sb._chown_tree(layout.judge_out, self.judge.uid)
            # Same path as in fresh mode (DATABASE_URL reads the same), but the folder lives
            # on the app worker's tmpfs: hidden suites commit hundreds of times, and on a disk
            # each commit waits for an fsync. The child creates the folder, as the sample's uid.
            layout.data.rmdir()
            layout.data.symlink_to(DATA_DIR)
            limits = sb.Limits(timeout_s=ctx.case.timeout_s)
            app = WarmApp(self.app, ctx, layout, limits)
            execution = Execution(nonce=layout.nonce)
            with ControlServer(layout, app):
                app.start()
                judge_id = self.judge.submit(self._judge_job(ctx, layout, limits))
                try:
                    reply, exceeded = self.judge.await_reply(judge_id, limits, [])
                finally:
                    app.stop()
            execution.returncode = int(reply["returncode"])
            execution.timed_out = bool(reply["timed_out"])
            execution.exceeded = exceeded or app.exceeded
            if execution.exceeded:
                execution.returncode = -9  # as fresh mode's Popen reports its group kill
            execution.duration_s = float(reply["duration"])
            execution.isolation = "bwrap (warm)"
            execution.stdout = _tail(layout.log / "stdout.txt", limits.output_chars)
            execution.stderr = _tail(layout.log / "stderr.txt", limits.output_chars)
            read_streams(execution, layout)
            keep_logs(layout, ctx.grade_dir)
            self.last_cpu_s = self.judge.last_cpu_s + app.cpu_s
            self.broken = self.app.broken or self.judge.broken
            return execution
        finally:
            for folder in (app_root, judge_root, sock, ctl):
                shutil.rmtree(folder, ignore_errors=True)

    def _judge_job(self, ctx: SampleJob, layout: Layout, limits: sb.Limits) -> dict[str, Any]:
        return {
            "module": "judge",
            "runtime": str(layout.hidden),
            "cwd": str(layout.judge_out),
            "log_dir": str(layout.log),
            "argv": judge_argv("python", ctx, layout)[4:],
            "env": {**sb.SAFE_ENV, **judge_env(ctx, layout)},
            "rlimits": rlimits(limits),
            "timeout": limits.timeout_s,
        }

    def kill(self) -> None:
        self.app.kill()
        self.judge.kill()

    def close(self) -> None:
        self.judge.close()
        self.app.close()
        shutil.rmtree(self.link, ignore_errors=True)


class WarmApp:
    """The app side of one sample on a warm worker: started, stopped, restarted on demand."""

    def __init__(self, worker: Worker, ctx: SampleJob, layout: Layout, limits: sb.Limits):
        self.worker, self.ctx, self.layout = worker, ctx, layout
        self.limits = sb.Limits(timeout_s=limits.timeout_s + APP_GRACE_S)
        self.exceeded: str | None = None
        self.cpu_s = 0.0
        self._job: int | None = None
        self._runs = 0
        self._reply: dict[str, Any] | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()

    def start(self, restore: Path | None = None) -> None:
        self._runs += 1
        self.layout.app_exit.unlink(missing_ok=True)
        self.layout.socket.unlink(missing_ok=True)
        log_dir = self.layout.app_log / str(self._runs)
        log_dir.mkdir(mode=0o755)
        request = {
            "module": "serve",
            "runtime": str(self.layout.app_runtime),
            "cwd": str(self.layout.work),
            "log_dir": str(log_dir),
            "data_dir": DATA_DIR,
            "restore": str(restore) if restore else None,
            "argv": app_argv("python", self.ctx, self.layout)[4:],
            "env": {**sb.SAFE_ENV, **app_env(self.ctx, self.layout)},
            "rlimits": rlimits(self.limits),
            "timeout": self.limits.timeout_s,
        }
        self._done.clear()
        self._job = self.worker.submit(request)
        threading.Thread(target=self._wait, args=(self._job,), daemon=True).start()

    def _wait(self, job_id: int) -> None:
        watched = [self.layout.work, self.layout.app_out, self.worker._inside(DATA_DIR)]
        try:
            reply, exceeded = self.worker.await_reply(job_id, self.limits, watched, abortable=True)
        except WorkerError as exc:
            reply, exceeded = {"error": str(exc)}, None
        self.exceeded = self.exceeded or exceeded
        self.cpu_s += float(reply.get("cpu", 0.0))
        if not reply.get("aborted"):
            why = (
                f"the warm worker failed: {reply['error']}"[:300]
                if "error" in reply
                else describe_app_exit(
                    bool(reply.get("timed_out")), exceeded, reply.get("returncode")
                )
            )
            write_exit_record(self.layout, why)
        self._reply = reply
        self._done.set()

    def stop(self) -> None:
        with self._lock:
            if self._job is None:
                return
            if not self._done.is_set():
                self.worker.abort()
            self._done.wait(timeout=self.limits.timeout_s + REPLY_MARGIN_S)
            self._job = None
        if self._reply is not None and "error" in self._reply:
            raise WorkerError(str(self._reply["error"]))

    def restart(self, timeout_s: float) -> str:
        snapshot = self.layout.app_root / f"restore-{self._runs}"
        try:
            copy_data(self.data_dir(), snapshot)
            sb._chown_tree(snapshot, self.worker.uid)
            self.stop()
        except (OSError, WorkerError) as exc:
            return f"the app could not be stopped for a restart: {exc}"
        self.start(restore=snapshot)
        return wait_for_app(self.layout, timeout_s)

    def data_dir(self) -> Path:
        return self.worker._inside(DATA_DIR)
