"""How the judge reaches the app: HTTP over the app's unix socket, and the harness's control
socket to restart it.

:class:`AppClient` keeps the interface the hidden suites were written against (Starlette's
``TestClient``: an httpx client with base URL ``http://testserver``, redirects followed, the
``testclient`` user agent, cookies kept, an unhandled error answered as a 500) but its
transport is the socket: the app runs in another process, as another uid, and an unhandled
exception there is uvicorn's 500 response, exactly what ``TestClient(raise_server_exceptions=
False)`` gave.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from evals_runtime import protocol

BASE_URL = "http://testserver"
READY_POLL_S = 0.01


def _transport(socket_path: str) -> httpx.HTTPTransport:
    # A connection per request: after an unhandled exception uvicorn answers 500 and closes
    # the connection, and a pooled client could send its next request down the dying one (a
    # spurious "connection reset"). A unix-socket connect costs microseconds. No TLS on a unix
    # socket: verify=False spares loading the CA bundle (~25-50 ms per transport).
    return httpx.HTTPTransport(
        uds=socket_path, verify=False, limits=httpx.Limits(max_keepalive_connections=0)
    )


class AppClient(httpx.Client):
    """A ``TestClient``-shaped httpx client whose requests travel over a unix socket."""

    def __init__(self, socket_path: str) -> None:
        self.socket_path = socket_path
        super().__init__(
            transport=_transport(socket_path),
            base_url=BASE_URL,
            follow_redirects=True,
            headers={"user-agent": "testclient"},
            timeout=None,  # the sample's wall-clock limit bounds a hanging request
        )

    def reconnect(self) -> None:
        """Drop pooled connections (the app behind the socket was restarted)."""
        self._transport.close()
        self._transport = _transport(self.socket_path)


@dataclass(frozen=True)
class AppLink:
    socket_path: str
    control_path: str
    exit_marker: str
    ready_timeout_s: float
    coverage: bool = False
    """The app is measured (``evals validate``): it writes its coverage when asked."""

    def client(self) -> AppClient:
        return AppClient(self.socket_path)

    def wait_until_ready(self) -> str | None:
        """None once the app accepts connections; else why it never will."""
        deadline = time.monotonic() + self.ready_timeout_s
        while time.monotonic() < deadline:
            if self._connects():
                return None
            if os.path.exists(self.exit_marker):
                return f"the app did not start: {_read_marker(self.exit_marker)}"
            time.sleep(READY_POLL_S)
        return f"the app did not start within {self.ready_timeout_s:.0f} s"

    def _connects(self) -> bool:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(self.socket_path)
            except OSError:
                return False
        return True

    def restart(self, timeout_s: float = 60.0) -> str | None:
        """Ask the harness to stop the app and start it again on the same data.

        None once the new process answers; else why it did not come back.
        """
        if self.coverage:
            self.flush_coverage()  # the harness kills the process: keep what it ran
        reply = self._ask(protocol.RESTART, timeout_s)
        if reply == protocol.READY:
            return None
        return reply or "the harness did not restart the app"

    def flush_coverage(self, final: bool = False) -> None:
        """Have a measured app write what it ran so far (``final``: and stop measuring).

        Asked at the moments its process may end: before a restart and after the suite.
        Writing after every request instead cost more than the suite itself."""
        query = "?final=1" if final else ""
        with contextlib.suppress(Exception), self.client() as client:
            client.get(protocol.COVERAGE_FLUSH_PATH + query, timeout=30)

    def snapshot(self) -> Path:
        """A copy of the app's data folder as it is now, made by the harness for the judge.

        Regular files only (the harness neither follows the app's links nor opens its pipes);
        read-only to the judge. Raises ``OSError`` when no copy could be made.
        """
        reply = self._ask(protocol.SNAPSHOT, 60.0)
        kind, _, path = reply.partition(" ")
        if kind != protocol.SNAPSHOT or not path:
            raise OSError(reply or "the harness made no copy of the app's data")
        return Path(path)

    def _ask(self, request: str, timeout_s: float) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as control:
            control.settimeout(timeout_s)
            try:
                control.connect(self.control_path)
                control.sendall(request.encode() + b"\n")
                return control.makefile("rb").readline(4096).decode(errors="replace").strip()
            except OSError as exc:
                return f"the harness did not answer: {exc}"


def _read_marker(path: str) -> str:
    try:
        return Path(path).read_text(errors="replace").strip()[:500] or "it exited"
    except OSError:
        return "it exited"


def from_environment() -> AppLink:
    return AppLink(
        socket_path=os.environ.get(protocol.SOCKET_ENV, ""),
        control_path=os.environ.get(protocol.CONTROL_ENV, ""),
        exit_marker=os.environ.get(protocol.APP_EXIT_ENV, ""),
        ready_timeout_s=float(os.environ.get(protocol.READY_TIMEOUT_ENV, "30")),
        coverage=bool(os.environ.get(protocol.COVERAGE_ENV)),
    )
