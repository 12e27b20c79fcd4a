"""The harness's side of the judge's control socket: restart the app, copy its data.

One :class:`ControlServer` per judge run, in a thread of the harness. Its socket lives in
the job's control folder, which only the judge's sandbox mounts (read-only: enough to
connect). The app side it acts on is fresh mode's :class:`evals.execute.fresh.AppProcess`
or warm mode's :class:`evals.execute.warm_worker.WarmApp` (:class:`AppControl`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from evals import untrusted
from evals.execute.runtime.evals_runtime import protocol

if TYPE_CHECKING:
    from evals.execute.job import Layout


class AppControl(Protocol):
    """What the control server needs of an app side (fresh or warm)."""

    def restart(self, timeout_s: float) -> str: ...

    def data_dir(self) -> Path: ...


APP_GRACE_S = 10.0


def describe_app_exit(timed_out: bool, exceeded: str | None, returncode: int | None) -> str:
    """Why the app's process ended on its own, in the words the judge shows (both modes)."""
    if timed_out:
        return "it hit its time limit"
    if exceeded:
        return f"it was killed for exceeding its {exceeded} limit"
    if returncode == protocol.EXIT_IMPORT_FAILED:
        return "its entry point did not import as a FastAPI app (see imports)"
    return f"the app's process exited (code {returncode})"


def write_exit_record(layout: Layout, text: str) -> None:
    with contextlib.suppress(OSError):
        layout.app_exit.write_text(text[:500])
        layout.app_exit.chmod(0o644)


def wait_for_app(layout: Layout, timeout_s: float) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(str(layout.socket))
                return protocol.READY
            except OSError:
                pass
        if layout.app_exit.exists():
            return "the app did not come back: " + layout.app_exit.read_text(errors="replace")
        time.sleep(0.01)
    return f"the app did not come back within {timeout_s:.0f} s"


class ControlServer:
    """The harness's side of the judge's control socket, for one judge run.

    Requests (one line each): ``restart`` (stop the app, start it again on the same data,
    answer ``ready`` once it accepts connections) and ``snapshot`` (copy the app's data folder,
    regular files only, into ``ctl/`` and answer ``snapshot PATH``). The socket lives in
    ``ctl/``, which only the judge's sandbox mounts (read-only: enough to connect); the judge
    thereby reads the app's database and files without sharing a writable folder with it.
    """

    def __init__(self, layout: Layout, app: AppControl, restart_timeout_s: float = 30.0):
        self.layout, self.app, self.restart_timeout_s = layout, app, restart_timeout_s
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._snapshots = 0

    def __enter__(self) -> ControlServer:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(self.layout.control))
        os.chmod(self.layout.control, 0o666)
        server.listen(4)
        server.settimeout(0.2)
        self._server = server
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        server, self._server = self._server, None
        # Wake the thread out of accept() now rather than at its next timeout: a connection
        # of our own (neither closing nor shutting down a listening unix socket wakes it).
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as poke:
            poke.connect(str(self.layout.control))
        if self._thread is not None:
            self._thread.join(timeout=5)
        if server is not None:
            server.close()

    def _serve(self) -> None:
        while self._server is not None:
            try:
                conn, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            if self._server is None:  # the wake-up from __exit__
                conn.close()
                return
            with conn:
                conn.settimeout(5)
                try:
                    request = conn.makefile("rb").readline(64).strip()
                except OSError:
                    continue
                if request == protocol.RESTART.encode():
                    reply = self.app.restart(self.restart_timeout_s)
                elif request == protocol.SNAPSHOT.encode():
                    reply = self._snapshot()
                else:
                    reply = f"unknown request {request[:20]!r}"
                with contextlib.suppress(OSError):
                    conn.sendall(reply.encode()[:1000] + b"\n")

    def _snapshot(self) -> str:
        self._snapshots += 1
        target = self.layout.ctl / f"snapshot-{self._snapshots}"
        try:
            copy_data(self.app.data_dir(), target)
        except OSError as exc:
            return f"error: cannot copy the app's data: {exc}"
        return f"{protocol.SNAPSHOT} {target}"


SNAPSHOT_MAX_BYTES = 256 * 1024 * 1024


SNAPSHOT_MAX_FILES = 2000


def copy_data(source: Path, target: Path) -> None:
    """Copy the regular files under ``source`` (the app's, so hostile) to ``target``.

    Links, FIFOs and devices are skipped, never followed or opened; the copy is capped in
    bytes and files; what lands in ``target`` is the harness's, readable by the judge.
    """
    target.mkdir(mode=0o755)
    budget, files = SNAPSHOT_MAX_BYTES, 0
    stack = [(source, target)]
    while stack:
        here, there = stack.pop()
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                (Path(there) / entry.name).mkdir(mode=0o755)
                stack.append((Path(entry.path), Path(there) / entry.name))
            elif stat.S_ISREG(info.st_mode) and files < SNAPSHOT_MAX_FILES:
                data = untrusted.read_bytes(Path(entry.path), max_bytes=budget)
                budget -= len(data)
                files += 1
                dest = Path(there) / entry.name
                dest.write_bytes(data)
                dest.chmod(0o644)
