"""Warm mode: grade each sample with children forked from pre-imported, sandboxed workers.

Fresh mode (:class:`evals.execute.Executor`) starts two sandboxed interpreters per
sample (the app, the judge) and spends most of its time importing the same stacks again. A
warm worker is a long-lived ``evals_runtime/warm_server.py`` inside its own bubblewrap
sandbox (the same namespaces and read-only binds as fresh mode, one writable jobs folder, a
tmpfs ``/tmp``) that imports its side's stack once and forks a child per sample; a
:class:`Pair` is an app worker and a judge worker, each with a uid of its own. A child drops
to its worker's leased uid, a uid different from the server's, so a sample can neither
signal nor trace a worker nor reach later samples; the server kills and reaps everything a
job leaves and wipes ``/tmp``, and a pair that cannot prove itself clean is replaced.

The contract is fresh mode's: the same scratch layout (:func:`prepare`), the same streams,
the same :class:`Execution`. Whenever warm cannot promise fresh's verdict it grades the
sample fresh instead and counts why in :attr:`WarmExecutor.stats`: no bwrap-as-root here, a
workspace module that would shadow a pre-imported one, a worker that failed.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
import weakref
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib.machinery import all_suffixes
from pathlib import Path
from typing import TYPE_CHECKING

from evals.execute import sandbox as sb
from evals.execute.fresh import Executor
from evals.execute.record import Execution
from evals.execute.warm_worker import Pair, Worker, WorkerError

if TYPE_CHECKING:
    from evals.execute.job import SampleJob

__all__ = [
    "Pair",
    "WarmExecutor",
    "WarmStats",
    "Worker",
    "WorkerError",
    "shadowed_modules",
    "unsupported_reason",
]


def unsupported_reason(sandbox: sb.Sandbox) -> str | None:
    """Why warm workers cannot run here, or None."""
    if sandbox.level != "bwrap":
        return f"warm workers need bwrap isolation (here: {sandbox.level})"
    if os.geteuid() != 0:
        return "warm workers need root to give each sample a uid of its own"
    return None


def shadowed_modules(workspace: Path, preloaded: frozenset[str]) -> list[str]:
    """Top-level names of the workspace that would shadow a module the worker pre-imported.

    In fresh mode the workspace comes first on ``sys.path``, so a sample's own ``jwt.py``
    wins over the installed package; in a warm child the package is already imported.
    Such samples are graded fresh (directories count too, to stay on the safe side).
    """
    suffixes = tuple(all_suffixes())
    names = set()
    with contextlib.suppress(OSError):
        for entry in os.scandir(workspace):
            if entry.is_dir(follow_symlinks=False):
                names.add(entry.name)
            elif entry.name.endswith(suffixes):
                names.add(entry.name.partition(".")[0])
    return sorted(names & preloaded)


@dataclass
class WarmStats:
    """What the pool did; the bench reports it and tests read it."""

    jobs: int = 0
    """Samples graded by a warm child."""
    fallbacks: Counter[str] = field(default_factory=Counter)
    """Samples graded fresh instead, by reason."""
    workers_started: int = 0
    workers_replaced: int = 0
    """Pairs discarded after a job left them unclean or after a failure."""
    startup_s: list[float] = field(default_factory=list)
    """Seconds from spawning a worker to its ready message."""
    cpu_s: list[float] = field(default_factory=list)
    """CPU seconds of each warm job's child, in completion order."""


class WarmExecutor:
    """Warm mode: a pool of warm workers, one per concurrent caller, started on demand."""

    mode = "warm"

    def __init__(
        self,
        sandbox: sb.Sandbox,
        python: str = sys.executable,
        *,
        max_workers: int = 0,
        pin_cpus: bool = True,
        fuzz: bool = False,
    ) -> None:
        self.sandbox = sandbox
        self.fuzz = fuzz
        """Judges pre-import the generated-request stack (a case of the run fuzzes); without
        it a sample that fuzzes still is, its child importing the stack itself."""
        self.python = python
        self.fresh = Executor(sandbox, python)
        self.unsupported = unsupported_reason(sandbox)
        self.max_workers = max_workers or 64
        self.stats = WarmStats()
        self._idle: list[Pair] = []
        self._live: set[Pair] = set()
        self._busy = 0
        self._closed = False
        self._cpus = sorted(os.sched_getaffinity(0)) if pin_cpus else []
        self._cpu_load: Counter[int] = Counter()
        self._cond = threading.Condition()
        # bwrap dies with the *thread* that started it (--die-with-parent): start workers
        # from long-lived threads, never from a caller's short-lived one.
        self._spawner = ThreadPoolExecutor(max_workers=4, thread_name_prefix="evals-warm")
        self._finalizer = weakref.finalize(self, _shutdown, self._idle, self._spawner)
        atexit.register(self._finalizer)

    def execute(self, ctx: SampleJob) -> Execution:
        if self.unsupported:
            return self._fresh(ctx, self.unsupported)
        try:
            worker = self._acquire()
        except WorkerError as exc:
            if self._closed:
                return _interrupted()
            return self._fresh(ctx, f"no warm worker: {exc}")
        healthy = False
        try:
            if shadowed := shadowed_modules(ctx.workspace, worker.preloaded):
                healthy = True
                return self._fresh(ctx, f"workspace shadows pre-imported modules {shadowed}")
            try:
                execution = worker.run(ctx)
            except WorkerError as exc:
                if self._closed:  # the run was interrupted: no fresh start now
                    return _interrupted()
                return self._fresh(ctx, f"warm worker failed: {str(exc)[:300]}")
            healthy = worker.broken is None
            with self._cond:
                self.stats.jobs += 1
                self.stats.cpu_s.append(worker.last_cpu_s)
            return execution
        finally:
            self._release(worker, healthy)

    def start(self, count: int) -> None:
        """Start workers until ``count`` are idle (the bench starts them before timing)."""
        if self.unsupported:
            return
        with self._cond:
            missing = max(0, count - len(self._idle) - self._busy)
            self._busy += missing
        futures = [self._spawner.submit(self._spawn) for _ in range(missing)]
        for future in futures:
            try:
                worker = future.result()
            except WorkerError:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify()
                raise
            self._note_started(worker)
            self._release(worker, True)

    def close(self) -> None:
        """Stop every worker now, busy ones included (an interrupted run ends promptly)."""
        with self._cond:
            self._closed = True
            idle, self._idle[:] = list(self._idle), []
            busy = [w for w in self._live if w not in idle]
        for worker in busy:
            worker.kill()  # its caller gets an infra error and closes it
        for worker in idle:
            worker.close()
        self._spawner.shutdown(wait=False)

    def __enter__(self) -> WarmExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the pool ---------------------------------------------------------------------------

    def _acquire(self) -> Pair:
        with self._cond:
            while not self._idle and self._busy >= self.max_workers:
                self._cond.wait()
            if self._closed:
                raise WorkerError("the warm pool is closed")
            self._busy += 1
            if self._idle:
                return self._idle.pop()
        try:
            worker = self._spawner.submit(self._spawn).result()
        except BaseException:
            with self._cond:
                self._busy -= 1
                self._cond.notify()
            raise
        self._note_started(worker)
        return worker

    def _spawn(self) -> Pair:
        """A new worker on the core with the fewest workers (each core's share stays even)."""
        with self._cond:
            cpu = min(self._cpus, key=lambda c: (self._cpu_load[c], c)) if self._cpus else None
            if cpu is not None:
                self._cpu_load[cpu] += 1
        try:
            return Pair(self.sandbox, self.python, cpu=cpu, fuzz=self.fuzz)
        except BaseException:
            with self._cond:
                self._forget_cpu(cpu)
            raise

    def _forget_cpu(self, cpu: int | None) -> None:
        """A worker on ``cpu`` is gone (call with ``_cond`` held)."""
        if cpu is not None:
            self._cpu_load[cpu] -= 1

    def _note_started(self, worker: Pair) -> None:
        with self._cond:
            self._live.add(worker)
            self.stats.workers_started += 1
            self.stats.startup_s.append(round(worker.startup_s, 3))

    def _release(self, worker: Pair, healthy: bool) -> None:
        keep = healthy and worker.broken is None
        with self._cond:
            self._busy -= 1
            if keep and not self._closed:
                self._idle.append(worker)
                worker = None  # type: ignore[assignment]
            else:
                self._live.discard(worker)
                self._forget_cpu(worker.cpu)
                if not keep:
                    self.stats.workers_replaced += 1
            self._cond.notify()
        if worker is not None:
            worker.close()

    def _fresh(self, ctx: SampleJob, reason: str) -> Execution:
        category = reason.split(":")[0].split(" [")[0]
        with self._cond:
            self.stats.fallbacks[category] += 1
        return self.fresh.execute(ctx)


def _interrupted() -> Execution:
    return Execution(nonce="", infra_error="grading interrupted: the warm pool was closed")


def _shutdown(idle: list[Pair], spawner: ThreadPoolExecutor) -> None:
    for worker in list(idle):
        worker.close()
    idle.clear()
    spawner.shutdown(wait=False)
