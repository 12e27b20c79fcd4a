"""Harness-owned helpers for the background-email suite.

The prompt asks for ``app.services.email.get_email_sender`` and for the registration route
to depend on it with ``Depends(get_email_sender)``. The suite never lets the app reach a
mail server: each test that registers a user installs a recording fake through
``app.dependency_overrides`` and removes it afterwards.

``asgi_post`` drives one request through the raw ASGI interface, on the TestClient's own
event loop, and records the ASGI messages the app sends. ``TestClient`` itself waits for
background tasks before it returns, so only the raw interface shows whether the e-mail was
sent before or after the response went out.
"""

from __future__ import annotations

import importlib
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

USERS_URL = "/api/v1/users"
WELCOME_SUBJECT = "Welcome to Acme!"


@dataclass(frozen=True)
class SentEmail:
    to: str
    subject: str
    body: str


@dataclass
class RecordingSender:
    """Fake e-mail sender: records each ``send`` call, optionally runs a hook, may raise."""

    on_send: Callable[[str, str, str], None] | None = None
    error: Exception | None = None
    sent: list[SentEmail] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def send(self, to: str, subject: str, body: str) -> None:
        with self._lock:
            self.sent.append(SentEmail(to=to, subject=subject, body=body))
        if self.on_send is not None:
            self.on_send(to, subject, body)
        if self.error is not None:
            raise self.error

    def to(self, address: str) -> list[SentEmail]:
        return [mail for mail in self.sent if mail.to == address]


@pytest.fixture
def get_email_sender(app: Any) -> Callable[[], Any]:
    """``app.services.email.get_email_sender``, imported after the app fixture loaded it."""
    try:
        module = importlib.import_module("app.services.email")
    except ImportError as exc:
        pytest.fail(f"the module app.services.email must exist and import: {exc!r}")
    dependency = getattr(module, "get_email_sender", None)
    assert callable(dependency), "app/services/email.py must define get_email_sender()"
    return dependency


@pytest.fixture
def install_sender(app: Any, get_email_sender: Callable[[], Any]) -> Iterator[Callable]:
    """Install a sender as the override of ``get_email_sender``; removed after the test."""

    def install(sender: Any) -> Any:
        app.dependency_overrides[get_email_sender] = lambda: sender
        return sender

    yield install
    app.dependency_overrides.pop(get_email_sender, None)


@pytest.fixture
def fake_sender(install_sender: Callable) -> RecordingSender:
    return install_sender(RecordingSender())


@pytest.fixture
def quiet_sender(app: Any) -> Iterator[RecordingSender | None]:
    """A recording fake if ``get_email_sender`` exists yet, else nothing.

    For the pass-to-pass registration tests, which must also pass on the starting
    workspace (where there is no e-mail module yet).
    """
    try:
        dependency = importlib.import_module("app.services.email").get_email_sender
    except (ImportError, AttributeError):
        yield None
        return
    sender = RecordingSender()
    app.dependency_overrides[dependency] = lambda: sender
    yield sender
    app.dependency_overrides.pop(dependency, None)


@pytest.fixture
def strong_password() -> Callable[[], str]:
    """Unique passwords, so a leak of this test's password cannot be a coincidence."""

    def make() -> str:
        return f"Pw-{uuid.uuid4().hex[:16]}"

    return make


@pytest.fixture
def register(client: Any, strong_password: Callable[[], str]) -> Callable[..., Any]:
    """POST a registration; returns the response."""

    def post(email: str, password: str | None = None) -> Any:
        body = {"email": email, "password": password or strong_password()}
        return client.post(USERS_URL, json=body)

    return post


@pytest.fixture
def user_rows(db_path: Path) -> Callable[[str], int]:
    """Count committed rows of ``users`` with this e-mail (safe to call from any thread)."""

    def count(email: str) -> int:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        try:
            row = conn.execute("SELECT COUNT(*) FROM users WHERE email = ?", (email,)).fetchone()
        finally:
            conn.close()
        return int(row[0])

    return count


@dataclass
class AsgiResult:
    status: int | None
    body: bytes
    error: BaseException | None


@pytest.fixture
def asgi_post(app: Any, client: Any) -> Callable[[str, dict[str, Any], list], AsgiResult]:
    """POST JSON through the raw ASGI interface; append ASGI messages to ``timeline``.

    Entries: ``("response-start", status)`` and ``("response-body", body_so_far)``. A fake
    sender can append its own entries to the same list, so their order is observable. An
    exception escaping the application is returned, not raised.
    """

    def post(path: str, payload: dict[str, Any], timeline: list) -> AsgiResult:
        raw = json.dumps(payload).encode()

        async def run() -> AsgiResult:
            import anyio

            finished = anyio.Event()
            request_sent = False
            status: int | None = None
            chunks: list[bytes] = []

            async def receive() -> dict[str, Any]:
                nonlocal request_sent
                if not request_sent:
                    request_sent = True
                    return {"type": "http.request", "body": raw, "more_body": False}
                await finished.wait()
                return {"type": "http.disconnect"}

            async def send(message: dict[str, Any]) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    timeline.append(("response-start", status))
                elif message["type"] == "http.response.body":
                    chunks.append(bytes(message.get("body", b"")))
                    timeline.append(("response-body", b"".join(chunks)))
                    if not message.get("more_body", False):
                        finished.set()

            scope = {
                "type": "http",
                "asgi": {"version": "3.0", "spec_version": "2.4"},
                "http_version": "1.1",
                "method": "POST",
                "scheme": "http",
                "path": path,
                "raw_path": path.encode(),
                "root_path": "",
                "query_string": b"",
                "headers": [
                    (b"host", b"testserver"),
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(raw)).encode()),
                ],
                "client": ("testclient", 50000),
                "server": ("testserver", 80),
                "state": dict(getattr(client, "app_state", {})),
            }
            error: BaseException | None = None
            try:
                await app(scope, receive, send)
            except Exception as exc:  # an error escaping the app is what some tests check
                error = exc
            finally:
                finished.set()
            return AsgiResult(status=status, body=b"".join(chunks), error=error)

        return client.portal.call(run)

    return post
