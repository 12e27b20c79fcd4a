"""Harness-owned additions to the middleware-stack app (runs in the app's process).

The prompt asks for application-wide middleware "that also covers routes added later", so
two routes are added to the app after it is built, before it is served:

- ``GET /__evals__/boom`` fails with an unhandled exception (its message carries a marker
  that must never reach the client);
- ``GET /__evals__/request-state`` answers ``{"request_id": request.state.request_id}``;
- ``GET /__evals__/slow`` answers after ``asyncio.sleep(SLOW_S)`` (a known minimum duration
  for the timing header).

Harness endpoints (also left out of the OpenAPI document):

- ``GET /__evals__/logs``: the last log records that reached the root logger (any logger,
  any level the app lets through), each with its message and the text of its extra fields;
- ``POST /__evals__/fresh-start`` ``{"cors_origins": str | null, "requests": [...]}``:
  imports the app's modules afresh in this process with ``CORS_ORIGINS`` set to that value
  (``null``: unset), runs its lifespan start-up, sends it the given requests (``method``,
  ``path``, ``headers``) directly over ASGI and reports each status and headers; then the
  original modules and environment are put back. It answers how a second deployment of the
  same code, configured differently, would behave.

Both are left out of the OpenAPI document. If adding them fails, the app is served anyway
and ``GET /__evals__/shim-error`` says why, so the tests that need them fail clearly.
"""

from __future__ import annotations

import asyncio
import collections
import importlib
import logging
import os
import sys
import threading
import traceback
from typing import Any

from starlette.requests import Request

BOOM_PATH = "/__evals__/boom"
STATE_PATH = "/__evals__/request-state"
ERROR_PATH = "/__evals__/shim-error"
BOOM_SECRET = "evals-boom-secret-5e1f"
SLOW_PATH = "/__evals__/slow"
SLOW_S = 0.05
LOGS_PATH = "/__evals__/logs"
FRESH_PATH = "/__evals__/fresh-start"
APP_MODULE, APP_ATTR = "app.main", "app"
MAX_LOGS = 500

_STANDARD_RECORD_FIELDS = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {
    "message",
    "asctime",
}
_logs: collections.deque[dict[str, Any]] = collections.deque(maxlen=MAX_LOGS)
_logs_lock = threading.Lock()


class _Capture(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception as exc:  # a bad format string in the app's log call
            message = f"<unformattable log message: {exc!r}>"
        extra = " ".join(
            f"{key}={value!s:.200}"
            for key, value in vars(record).items()
            if key not in _STANDARD_RECORD_FIELDS
        )
        with _logs_lock:
            _logs.append(
                {
                    "name": record.name,
                    "levelno": record.levelno,
                    "message": message[:2000],
                    "extra": extra[:2000],
                    "exc_info": record.exc_info is not None,
                }
            )


_handler = _Capture()


async def boom() -> dict[str, str]:
    raise RuntimeError(f"unexpected failure {BOOM_SECRET}")


async def slow() -> dict[str, float]:
    await asyncio.sleep(SLOW_S)
    return {"slept_s": SLOW_S}


async def logs() -> dict[str, Any]:
    with _logs_lock:
        return {"logs": list(_logs)}


def _import_fresh(cors_origins: str | None) -> Any:
    """The app object of a fresh import of the app's modules with this CORS_ORIGINS."""
    saved_env = os.environ.get("CORS_ORIGINS")
    saved = {n: m for n, m in sys.modules.items() if n == "app" or n.startswith("app.")}
    try:
        for name in saved:
            del sys.modules[name]
        if cors_origins is None:
            os.environ.pop("CORS_ORIGINS", None)
        else:
            os.environ["CORS_ORIGINS"] = cors_origins
        return getattr(importlib.import_module(APP_MODULE), APP_ATTR)
    finally:
        if saved_env is None:
            os.environ.pop("CORS_ORIGINS", None)
        else:
            os.environ["CORS_ORIGINS"] = saved_env
        for name in [n for n in sys.modules if n == "app" or n.startswith("app.")]:
            del sys.modules[name]
        sys.modules.update(saved)


async def _lifespan(app: Any, stop: asyncio.Event) -> tuple[asyncio.Task, asyncio.Future]:
    started: asyncio.Future = asyncio.get_running_loop().create_future()
    sent_startup = False

    async def receive() -> dict[str, Any]:
        nonlocal sent_startup
        if not sent_startup:
            sent_startup = True
            return {"type": "lifespan.startup"}
        await stop.wait()
        return {"type": "lifespan.shutdown"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"].startswith("lifespan.startup") and not started.done():
            started.set_result(message)

    async def run() -> None:
        try:
            await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
        except BaseException as exc:
            if not started.done():
                started.set_result({"type": "lifespan.startup.failed", "message": repr(exc)})
            raise
        finally:
            if not started.done():  # an app without lifespan support
                started.set_result({"type": "lifespan.startup.complete"})

    return asyncio.ensure_future(run()), started


async def _call(app: Any, method: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        + [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    sent_request = False
    result: dict[str, Any] = {"status": None, "headers": {}}

    async def receive() -> dict[str, Any]:
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            result["status"] = message["status"]
            for key, value in message.get("headers", []):
                name = key.decode("latin-1").lower()
                previous = result["headers"].get(name)
                text = value.decode("latin-1")
                result["headers"][name] = text if previous is None else f"{previous}, {text}"

    try:
        await app(scope, receive, send)
    except Exception as exc:
        result["error"] = repr(exc)[:500]
    return result


async def fresh_start(request: Request) -> dict[str, Any]:
    payload = await request.json()
    try:
        fresh = _import_fresh(payload.get("cors_origins"))
    except BaseException as exc:  # the app did not start: reported
        return {"started": False, "error": repr(exc)[:1000], "responses": []}
    stop = asyncio.Event()
    task, started = await _lifespan(fresh, stop)
    message = await asyncio.wait_for(started, 30)
    if message["type"] != "lifespan.startup.complete":
        stop.set()
        return {"started": False, "error": message.get("message", ""), "responses": []}
    responses = []
    try:
        for spec in payload.get("requests", []):
            responses.append(
                await _call(fresh, spec["method"], spec["path"], dict(spec.get("headers", {})))
            )
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, 10)
        except BaseException:  # noqa: S110 - a shutdown problem is not what is measured
            pass
    return {"started": True, "error": None, "responses": responses}


async def request_state(request: Request) -> dict[str, Any]:
    return {"request_id": getattr(request.state, "request_id", None)}


def install(app: Any) -> None:
    try:
        root = logging.getLogger()
        if _handler not in root.handlers:
            root.addHandler(_handler)
        app.add_api_route(
            BOOM_PATH,
            boom,
            methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            include_in_schema=False,
        )
        app.add_api_route(STATE_PATH, request_state, methods=["GET"], include_in_schema=False)
        app.add_api_route(SLOW_PATH, slow, methods=["GET"], include_in_schema=False)
        app.add_api_route(LOGS_PATH, logs, methods=["GET"], include_in_schema=False)
        app.add_api_route(FRESH_PATH, fresh_start, methods=["POST"], include_in_schema=False)
    except Exception as exc:  # never take the app down: report it instead
        problem = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:500]

        async def shim_error() -> dict[str, str]:
            return {"error": f"adding the probe routes failed: {problem}"}

        try:
            app.add_api_route(ERROR_PATH, shim_error, methods=["GET"], include_in_schema=False)
        except Exception:  # noqa: S110 - the probe routes' absence is reported by the tests
            pass
