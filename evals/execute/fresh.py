"""Fresh mode: for each sample, a sandboxed app process and a sandboxed judge process.

Both are started for the sample and end with it: the app side (``evals_runtime.serve``) in
one sandbox as one leased uid, the judge (``evals_runtime.judge``) in another as another.
The reference every warm verdict is checked against.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from evals.errors import SandboxError
from evals.execute import sandbox as sb
from evals.execute import unicode_tables
from evals.execute.control import (
    APP_GRACE_S,
    ControlServer,
    describe_app_exit,
    wait_for_app,
    write_exit_record,
)
from evals.execute.job import (
    SCRATCH_PREFIX,
    Layout,
    app_argv,
    app_env,
    app_mounts,
    fuzzes,
    judge_argv,
    judge_env,
    judge_mounts,
    prepare,
    short_folder,
    sweep_stale_scratch,
)
from evals.execute.record import Execution, keep_logs, read_streams

if TYPE_CHECKING:
    from evals.execute.job import SampleJob


class Executor:
    """Fresh mode: for each sample, a sandboxed app process and a sandboxed judge process."""

    mode = "fresh"

    def __init__(self, sandbox: sb.Sandbox, python: str = sys.executable) -> None:
        self.sandbox = sandbox
        self.python = python
        sweep_stale_scratch()

    def close(self) -> None:
        """Nothing is held between samples."""

    def execute(self, ctx: SampleJob) -> Execution:
        scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
        # Traversable by the sandboxes' uids where the level shares the host's filesystem
        # (unshare); not listable, so other users cannot find the sample's files.
        scratch.chmod(0o711)
        link = short_folder()
        try:
            layout = prepare(scratch, ctx, scratch, link / "sock", link / "ctl")
            if fuzzes(ctx.case):  # a fresh judge starts cold: it reads the harness's tables
                unicode_tables.install(layout.hidden)
            execution = Execution(nonce=layout.nonce)
            app = AppProcess(self.sandbox, self.python, ctx, layout)
            try:
                with ControlServer(layout, app):
                    app.start()
                    judged = self.sandbox.run(
                        judge_argv(self.python, ctx, layout),
                        cwd=layout.judge_out,
                        mounts=judge_mounts(layout),
                        env=judge_env(ctx, layout),
                        limits=sb.Limits(timeout_s=ctx.case.timeout_s),
                        log_dir=layout.log / "judge",
                    )
            except SandboxError as exc:
                execution.infra_error = str(exc)
                return execution
            finally:
                app.stop()
            if app.infra_error:
                execution.infra_error = app.infra_error
                return execution
            record_judge(execution, judged)
            execution.exceeded = execution.exceeded or app.exceeded
            read_streams(execution, layout)
            keep_logs(layout, ctx.grade_dir)
            return execution
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            shutil.rmtree(link, ignore_errors=True)


def record_judge(execution: Execution, judged: sb.Result) -> None:
    execution.returncode = judged.returncode
    execution.timed_out = judged.timed_out
    execution.stdout, execution.stderr = judged.stdout, judged.stderr
    execution.duration_s = judged.duration_s
    execution.isolation = judged.isolation
    execution.exceeded = judged.exceeded


class AppProcess:
    """The app side of one sample in fresh mode: started, stopped, restarted on demand."""

    def __init__(self, sandbox: sb.Sandbox, python: str, ctx: SampleJob, layout: Layout):
        self.sandbox, self.python, self.ctx, self.layout = sandbox, python, ctx, layout
        self.infra_error: str | None = None
        self.exceeded: str | None = None
        self._thread: threading.Thread | None = None
        self._stop: Callable[[], None] | None = None
        self._started = threading.Event()
        self._runs = 0

    def start(self) -> None:
        self._runs += 1
        self.layout.app_exit.unlink(missing_ok=True)
        self.layout.socket.unlink(missing_ok=True)
        self._started.clear()
        self._thread = threading.Thread(target=self._run, args=(self._runs,), daemon=True)
        self._thread.start()
        self._started.wait(timeout=60)

    def _run(self, number: int) -> None:
        def started(stop: Callable[[], None]) -> None:
            self._stop = stop
            self._started.set()

        try:
            result = self.sandbox.run(
                app_argv(self.python, self.ctx, self.layout),
                cwd=self.layout.work,
                mounts=app_mounts(self.layout),
                env=app_env(self.ctx, self.layout),
                # The judge's limit bounds the sample; this one only backs it up.
                limits=sb.Limits(timeout_s=self.ctx.case.timeout_s + APP_GRACE_S),
                log_dir=self.layout.app_log / str(number),
                started=started,
            )
        except SandboxError as exc:
            self.infra_error = str(exc)
            self._started.set()
            write_exit_record(self.layout, f"the sandbox did not start: {exc}")
            return
        self.exceeded = self.exceeded or result.exceeded
        if not result.stopped:
            why = describe_app_exit(result.timed_out, result.exceeded, result.returncode)
            write_exit_record(self.layout, why)

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None
        if self._thread is not None:
            self._thread.join(timeout=60)
            self._thread = None

    def restart(self, timeout_s: float) -> str:
        """Stop, start on the same data, and wait for the socket: "ready" or why not."""
        self.stop()
        self.start()
        return wait_for_app(self.layout, timeout_s)

    def data_dir(self) -> Path:
        return self.layout.data
