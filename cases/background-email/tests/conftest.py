"""Harness-owned helpers for the background-email suite.

The prompt asks for ``app.services.email.get_email_sender`` and for the registration route
to depend on it with ``Depends(get_email_sender)``. The suite never lets the app reach a
mail server: each test that registers a user first chooses the sender the app gets.

The app runs in another process. The case's shim (``shim/evals_case_shim.py``) works inside
it and answers under ``/__evals__/``: it overrides ``get_email_sender`` with a recording
sender (``record``; ``fail`` also raises ``ConnectionError``; ``default`` removes the
override), records what the application sends for each request (response start, body, the
e-mails sent, an exception escaping the app) in one ordered timeline, and the log records
(the ``app.email`` logger at INFO). Its reads wait until the app has finished every request,
background tasks included, as ``TestClient`` did before it returned.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

USERS_URL = "/api/v1/users"
WELCOME_SUBJECT = "Welcome to Acme!"
EVALS = "/__evals__"


@dataclass(frozen=True)
class SentEmail:
    to: str
    subject: str
    body: Any
    committed_rows: int | None = None
    committed_error: str | None = None


class Evals:
    """The shim's endpoints, over a connection of their own."""

    def __init__(self, http: Any) -> None:
        self.http = http

    def call(self, method: str, name: str, payload: dict[str, Any] | None = None) -> Any:
        response = self.http.request(method, f"{EVALS}/{name}", json=payload)
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or (response.status_code == 404 and "pending" not in data):
            pytest.fail(
                f"the harness's case shim did not answer {method} {EVALS}/{name} "
                f"({response.status_code}: {response.text[:200]}); it must be installed in "
                "the app's process",
                pytrace=False,
            )
        if response.status_code == 503:
            pytest.fail(
                f"the suite needs app.services.email.get_email_sender: {data.get('error')}",
                pytrace=False,
            )
        if response.status_code != 200:
            pytest.fail(
                f"the harness's case shim failed on {method} {EVALS}/{name}: {data}",
                pytrace=False,
            )
        if data.get("pending"):
            pytest.fail(
                f"{data['pending']} request(s) of the app were still running (a background "
                "task that never ends?) after the harness's wait",
                pytrace=False,
            )
        return data

    def use_sender(self, mode: str, error: str = "ConnectionError") -> None:
        self.call("POST", "email-sender", {"mode": mode, "error": error})

    def sender_problem(self) -> str | None:
        return self.call("GET", "shim-error").get("error")

    def reset(self) -> None:
        self.call("POST", "reset")

    def settle(self) -> None:
        self.call("GET", "settle")

    def emails(self) -> list[SentEmail]:
        return [
            SentEmail(
                to=e["to"],
                subject=e["subject"],
                body=e["body"] if e.get("body_is_str") else repr(e["body"]),
                committed_rows=e.get("committed_rows"),
                committed_error=e.get("committed_error"),
            )
            for e in self.call("GET", "emails")["emails"]
        ]

    def logs(self) -> list[dict[str, Any]]:
        return list(self.call("GET", "logs")["logs"])

    def timeline(self) -> list[dict[str, Any]]:
        return list(self.call("GET", "timeline")["events"])

    def default_send(self, **message: str) -> dict[str, Any]:
        return dict(self.call("POST", "default-sender", message))


@pytest.fixture(scope="session")
def evals(app_link: Any, client: Any) -> Iterator[Evals]:
    # Its own connection: an error escaping the app makes the server drop the connection
    # of the request that raised it, and a read of the shim must not ride on that one.
    with app_link.client() as http:
        yield Evals(http)


@dataclass
class RecordingSender:
    """The shim's recording sender, as this test sees it (reads wait for the app)."""

    evals: Evals
    mode: str

    @property
    def sent(self) -> list[SentEmail]:
        return self.evals.emails()

    def to(self, address: str) -> list[SentEmail]:
        return [mail for mail in self.sent if mail.to == address]

    def clear(self) -> None:
        self.evals.reset()


@pytest.fixture
def install_sender(evals: Evals) -> Iterator[Callable[[str], RecordingSender]]:
    """Install the shim's sender (mode ``record`` or ``fail``) for this test only."""

    def install(mode: str = "record", error: str = "ConnectionError") -> RecordingSender:
        evals.reset()
        evals.use_sender(mode, error)
        return RecordingSender(evals, mode)

    yield install
    evals.use_sender("default")


@pytest.fixture
def fake_sender(install_sender: Callable[[str], RecordingSender]) -> RecordingSender:
    return install_sender("record")


@pytest.fixture
def quiet_sender(evals: Evals) -> Iterator[RecordingSender | None]:
    """A recording sender if ``get_email_sender`` exists yet, else nothing.

    For the pass-to-pass registration tests, which must also pass on the starting
    workspace (where there is no e-mail module yet).
    """
    evals.reset()
    if evals.sender_problem() is not None:
        yield None
        return
    evals.use_sender("record")
    yield RecordingSender(evals, "record")
    evals.use_sender("default")


@pytest.fixture
def strong_password() -> Callable[[], str]:
    """Unique passwords, so a leak of this test's password cannot be a coincidence."""

    def make() -> str:
        return f"Pw-{random.getrandbits(64):016x}"

    return make


@pytest.fixture
def register(client: Any, evals: Evals, strong_password: Callable[[], str]) -> Callable[..., Any]:
    """POST a registration; returns the response once the app has finished the request."""

    def post(email: str, password: str | None = None) -> Any:
        body = {"email": email, "password": password or strong_password()}
        response = client.post(USERS_URL, json=body)
        evals.settle()  # its background tasks too, as TestClient waited for them
        return response

    return post


# Exception types the failing sender raises (see the shim's FAILURES): "if send raises".
# An OSError, a plain RuntimeError, and an exception class of the sender's own.
SENDER_FAILURES = ["ConnectionError", "RuntimeError", "SenderError"]


@pytest.fixture
def stored_hash(db: Any) -> Callable[[str], str | None]:
    """The stored password hash of the user with this e-mail (the column is hashed_password)."""

    def read(email: str) -> str | None:
        row = db.execute("SELECT hashed_password FROM users WHERE email = ?", (email,)).fetchone()
        return None if row is None else str(row[0])

    return read


@pytest.fixture
def user_rows(db: Any) -> Callable[[str], int]:
    """Count committed rows of ``users`` with this e-mail."""

    def count(email: str) -> int:
        row = db.execute("SELECT COUNT(*) FROM users WHERE email = ?", (email,)).fetchone()
        return int(row[0])

    return count


@dataclass
class ObservedRequest:
    """One request as the application handled it, seen by the shim's outermost layer.

    ``timeline`` entries: ``("response-start", status)``, ``("response-body", body_so_far)``
    for this request, and ``("email", to)`` for every e-mail sent, in the order they
    happened. ``error`` is the exception that escaped the application, if any.
    """

    status: int | None
    body: bytes
    error: str | None
    timeline: list[tuple[str, Any]] = field(default_factory=list)


@pytest.fixture
def observed_post(client: Any, evals: Evals) -> Callable[[str, dict[str, Any]], ObservedRequest]:
    """POST JSON, wait for the app to finish (background tasks too), return what it sent."""

    def post(path: str, payload: dict[str, Any]) -> ObservedRequest:
        evals.settle()
        first = max((e["seq"] for e in evals.timeline()), default=0)
        client.post(path, json=payload)
        events = [e for e in evals.timeline() if e["seq"] > first]
        starts = [
            e["request"]
            for e in events
            if e["kind"] == "request" and e.get("method") == "POST" and e.get("path") == path
        ]
        assert len(starts) == 1, f"the shim saw {len(starts)} POST {path} requests: {events!r:.500}"
        request = starts[0]
        status: int | None = None
        body = b""
        error: str | None = None
        timeline: list[tuple[str, Any]] = []
        for event in sorted(events, key=lambda e: e["seq"]):
            if event["kind"] == "email":
                timeline.append(("email", event["to"]))
            elif event["request"] != request:
                continue
            elif event["kind"] == "response-start":
                status = event["status"] if status is None else status
                timeline.append(("response-start", event["status"]))
            elif event["kind"] == "response-body":
                body = event["body"].encode()
                timeline.append(("response-body", body))
            elif event["kind"] == "error":
                error = error or event["error"]
        return ObservedRequest(status=status, body=body, error=error, timeline=timeline)

    return post
