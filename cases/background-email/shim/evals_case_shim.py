"""Harness-owned observer of the background-email app (runs in the app's process).

The prompt asks for ``app.services.email.get_email_sender``, a dependency the registration
route uses with ``Depends(get_email_sender)``, so the suite can swap the sender. The hidden
suite runs in another process, so this shim does, inside the app's process, what its
fixtures used to do, and reports it over HTTP:

- a recording sender, installed as ``app.dependency_overrides[get_email_sender]`` in the
  modes ``record`` (records each ``send``) and ``fail`` (records it, then raises
  ``ConnectionError``); ``default`` removes the override, so the app's own sender is used.
  At each send it also counts the committed ``users`` rows with the recipient's address
  (read-only SQLite, as the app's database is on disk), to show whether the user was
  committed before the e-mail went out;
- an ASGI recorder around the whole application (what a raw ASGI call of the app saw): for
  each request, its start, the response start and body as they are sent, the e-mails sent
  while it runs (its background tasks included) and any exception escaping the app, in one
  numbered timeline;
- log records (INFO and above) reaching the root logger, the ``app.email`` logger set to
  INFO as ``caplog.at_level(logging.INFO, logger="app.email")`` did.

Endpoints (answered by the recorder itself: they never reach the app's routes, middleware
or OpenAPI document). Reads and the reset first wait until no request of the app is still
running, background tasks included (as TestClient returned only after them):

- ``GET /__evals__/shim-error``: ``{"error": <why the sender cannot be installed> | null}``;
- ``POST /__evals__/email-sender`` ``{"mode": "record" | "fail" | "default", "error": name}``
  (``fail``: ``send`` raises the exception class ``name`` from ``FAILURES``, by default
  ``ConnectionError``);
- ``POST /__evals__/reset``: forget what was recorded;
- ``GET /__evals__/settle``: wait until the app is idle;
- ``GET /__evals__/emails``, ``GET /__evals__/logs``, ``GET /__evals__/timeline``;
- ``POST /__evals__/default-sender`` ``{"to", "subject", "body"}``: call the app's own
  ``get_email_sender()`` and its ``send(to=..., subject=..., body=...)`` with network
  connections refused, and report the log records it wrote.
"""

from __future__ import annotations

import asyncio
import contextvars
import importlib
import inspect
import itertools
import json
import logging
import os
import socket
import sqlite3
import threading
import time
import traceback
from typing import Any

PREFIX = "/__evals__/"
EMAIL_MODULE = "app.services.email"
EMAIL_LOGGER = "app.email"
FAIL_MESSAGE = "mail server unreachable"
IDLE_TIMEOUT_S = 15.0
MAX_EVENTS = 2000
MAX_LOGS = 1000
MAX_TEXT = 4000

_lock = threading.Lock()
_seq = itertools.count(1)
_request_ids = itertools.count(1)
_current_request: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "evals_request", default=None
)
_events: list[dict[str, Any]] = []
_logs: list[dict[str, Any]] = []
_in_flight = 0
_state: dict[str, Any] = {"mode": "default", "dependency": None, "error": None, "app": None}


def _short(value: Any, limit: int = MAX_TEXT) -> str:
    try:
        text = value if isinstance(value, str) else repr(value)
    except Exception:  # a repr that raises
        text = f"<unprintable {type(value).__name__}>"
    return text[:limit]


def _event(kind: str, **fields: Any) -> None:
    with _lock:
        if len(_events) < MAX_EVENTS:
            _events.append(
                {"seq": next(_seq), "kind": kind, "request": _current_request.get(), **fields}
            )


# --- the recording sender ---------------------------------------------------------------


def _db_path() -> str | None:
    path = os.environ.get("EVALS_DB_PATH")
    if path:
        return path
    url = os.environ.get("DATABASE_URL", "")
    _, sep, rest = url.partition(":///")
    return rest if sep and url.startswith("sqlite") else None


def _committed_rows(email: str) -> tuple[int | None, str | None]:
    """Committed rows of ``users`` with this e-mail, read by a separate read-only connection."""
    path = _db_path()
    if not path:
        return None, "the database path is unknown"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            row = conn.execute("SELECT COUNT(*) FROM users WHERE email = ?", (email,)).fetchone()
        finally:
            conn.close()
    except Exception as exc:  # no table yet, a locked database: reported, not raised
        return None, _short(f"{type(exc).__name__}: {exc}", 300)
    return int(row[0]), None


class SenderError(Exception):
    """An exception type of the sender's own (not an OSError)."""


FAILURES: dict[str, type[Exception]] = {
    "ConnectionError": ConnectionError,
    "TimeoutError": TimeoutError,
    "RuntimeError": RuntimeError,
    "ValueError": ValueError,
    "SenderError": SenderError,
}


class RecordingSender:
    """The suite's sender: records every ``send``; in ``fail`` mode it then raises."""

    def __init__(self, fail: bool, error: type[Exception] = ConnectionError) -> None:
        self.fail = fail
        self.error = error

    def send(self, to: str, subject: str, body: str) -> None:
        rows, problem = _committed_rows(to) if isinstance(to, str) else (None, "to is not a str")
        _event(
            "email",
            to=_short(to),
            subject=_short(subject),
            body=_short(body, 20_000),
            body_is_str=isinstance(body, str),
            committed_rows=rows,
            committed_error=problem,
        )
        if self.fail:
            raise self.error(FAIL_MESSAGE)

    def __repr__(self) -> str:
        return f"RecordingSender(fail={self.fail})"


def _dependency() -> Any:
    """The app's ``get_email_sender``, or None (the reason goes to ``_state['error']``)."""
    try:
        module = importlib.import_module(EMAIL_MODULE)
    except BaseException as exc:
        _state["error"] = f"the module {EMAIL_MODULE} must exist and import: {exc!r}"[:1000]
        return None
    dependency = getattr(module, "get_email_sender", None)
    if not callable(dependency):
        _state["error"] = "app/services/email.py must define get_email_sender()"
        return None
    _state["error"] = None
    return dependency


def _set_mode(mode: str, error: str = "ConnectionError") -> tuple[int, dict[str, Any]]:
    app = _state["app"]
    if mode not in ("record", "fail", "default"):
        return 400, {"error": f"unknown mode {mode!r}"}
    if error not in FAILURES:
        return 400, {"error": f"unknown error {error!r}"}
    dependency = _state["dependency"]
    if dependency is not None:
        app.dependency_overrides.pop(dependency, None)
    _state["mode"] = "default"
    if mode == "default":
        return 200, {"mode": mode}
    dependency = _state["dependency"] = _dependency()
    if dependency is None:
        return 503, {"error": _state["error"]}
    sender = RecordingSender(fail=mode == "fail", error=FAILURES[error])
    app.dependency_overrides[dependency] = lambda: sender
    _state["mode"] = mode
    return 200, {"mode": mode}


# --- log records --------------------------------------------------------------------------


class _Capture(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception as exc:  # a bad format string in the app's log call
            message = f"<unformattable log message: {exc!r}>"
        entry = {
            "seq": next(_seq),
            "name": record.name,
            "levelno": record.levelno,
            "levelname": record.levelname,
            "message": _short(message, 1000),
            "exc_info": record.exc_info is not None,
            "request": _current_request.get(),
        }
        with _lock:
            if len(_logs) < MAX_LOGS:
                _logs.append(entry)


_handler = _Capture(level=logging.INFO)


def _watch_logs() -> None:
    """As caplog.at_level(INFO, logger="app.email"): a root handler, app.email at INFO."""
    root = logging.getLogger()
    if _handler not in root.handlers:
        root.addHandler(_handler)
    logging.getLogger(EMAIL_LOGGER).setLevel(logging.INFO)


# --- the app's own sender, without network --------------------------------------------------


def _default_send(payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    dependency = _dependency()
    if dependency is None:
        return 503, {"error": _state["error"]}
    attempts: list[str] = []

    def no_network(*args: Any, **kwargs: Any) -> Any:
        target = args[1:] if args and isinstance(args[0], socket.socket) else args
        attempts.append(_short(target, 200))
        raise AssertionError("the default e-mail sender tried to open a network connection")

    saved = (socket.create_connection, socket.socket.connect, socket.socket.connect_ex)
    _watch_logs()
    with _lock:
        first_log = len(_logs)
    result: dict[str, Any] = {"sender": None, "has_send": False, "error": None}
    result["dependency_is_async"] = inspect.iscoroutinefunction(dependency)
    try:
        params = inspect.signature(dependency).parameters.values()
        result["dependency_params"] = [p.name for p in params]
    except (TypeError, ValueError):
        result["dependency_params"] = None
    socket.create_connection = no_network  # type: ignore[assignment]
    socket.socket.connect = no_network  # type: ignore[method-assign]
    socket.socket.connect_ex = no_network  # type: ignore[method-assign]
    try:
        sender = dependency()
        result["sender"] = _short(sender, 300)
        send = getattr(sender, "send", None)
        result["has_send"] = callable(send)
        result["send_is_async"] = inspect.iscoroutinefunction(send)
        if callable(send):
            send(to=payload.get("to"), subject=payload.get("subject"), body=payload.get("body"))
    except BaseException as exc:
        result["error"] = _short(f"{type(exc).__name__}: {exc}", 500)
    finally:
        socket.create_connection, socket.socket.connect, socket.socket.connect_ex = saved  # type: ignore[misc]
    with _lock:
        result["logs"] = _logs[first_log:]
    result["network_attempts"] = attempts
    return 200, result


# --- the ASGI recorder --------------------------------------------------------------------


async def _wait_idle() -> int:
    deadline = time.monotonic() + IDLE_TIMEOUT_S
    while _in_flight and time.monotonic() < deadline:
        await asyncio.sleep(0.005)
    return _in_flight


async def _read_json(receive: Any) -> dict[str, Any]:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    raw = b"".join(chunks)
    if not raw:
        return {}
    value = json.loads(raw)
    return value if isinstance(value, dict) else {}


async def _answer(send: Any, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload, default=repr).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _evals(scope: dict[str, Any], receive: Any, send: Any) -> None:
    name, method = scope["path"][len(PREFIX) :], scope.get("method", "GET")
    status, payload = 404, {"error": f"no evals endpoint {method} {scope['path']}"}
    try:
        if (method, name) == ("GET", "shim-error"):
            if _state["dependency"] is None:
                _state["dependency"] = _dependency()
            status, payload = 200, {"error": _state["error"]}
        elif (method, name) == ("POST", "email-sender"):
            body = await _read_json(receive)
            status, payload = _set_mode(
                str(body.get("mode")), str(body.get("error", "ConnectionError"))
            )
        elif (method, name) == ("POST", "default-sender"):
            status, payload = _default_send(await _read_json(receive))
        elif method == "POST" and name == "reset":
            pending = await _wait_idle()
            with _lock:
                _events.clear()
                _logs.clear()
            status, payload = 200, {"pending": pending}
        elif method == "GET" and name in ("settle", "emails", "logs", "timeline"):
            pending = await _wait_idle()
            with _lock:
                events, logs = list(_events), list(_logs)
            payload = {"pending": pending, "mode": _state["mode"]}
            if name == "emails":
                payload["emails"] = [e for e in events if e["kind"] == "email"]
            elif name == "logs":
                payload["logs"] = logs
            elif name == "timeline":
                payload["events"] = events
            status = 200
    except Exception as exc:
        status, payload = 500, {"error": _short(traceback.format_exc(), 2000) or repr(exc)}
    await _answer(send, status, payload)


class Recorder:
    """Outermost ASGI layer: records what the application sends, and serves /__evals__/."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        if scope["path"].startswith(PREFIX):
            await _evals(scope, receive, send)
            return
        global _in_flight
        _watch_logs()
        token = _current_request.set(next(_request_ids))
        _in_flight += 1
        body: list[bytes] = []

        async def recording_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                _event("response-start", status=message.get("status"))
            elif message["type"] == "http.response.body":
                body.append(bytes(message.get("body", b"")))
                text = b"".join(body)[:MAX_TEXT].decode("utf-8", errors="replace")
                _event("response-body", body=text, more_body=bool(message.get("more_body")))
            await send(message)

        try:
            _event("request", method=scope.get("method"), path=scope.get("path"))
            await self.inner(scope, receive, recording_send)
        except BaseException as exc:
            _event("error", error=_short(f"{type(exc).__name__}: {exc}", 500))
            raise
        finally:
            _event("done")
            _in_flight -= 1
            _current_request.reset(token)


def install(app: Any) -> None:
    try:
        _state["app"] = app
        _state["dependency"] = _dependency()
        build = app.build_middleware_stack

        def build_recorded() -> Any:
            return Recorder(build())

        app.build_middleware_stack = build_recorded
        app.middleware_stack = None  # built at the first request, with the recorder outside
        _watch_logs()
    except Exception as exc:  # never take the app down: the suite's fixtures report it
        _state["error"] = _short(f"the harness's shim could not be installed: {exc!r}", 1000)
