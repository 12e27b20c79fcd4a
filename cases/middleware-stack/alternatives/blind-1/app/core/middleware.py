"""Application-wide middleware: request id, timing, error safety net and CORS.

Stack (outermost first), below Starlette's own ServerErrorMiddleware:

1. ``CORSMiddleware``           - answers preflights, decorates every response
                                  (including the 500 produced below) for allowed
                                  origins.
2. ``RequestContextMiddleware`` - assigns the request id, measures the time,
                                  turns unhandled exceptions into a JSON 500 and
                                  stamps ``X-Request-ID`` / ``X-Process-Time``.
3. FastAPI's exception middleware and the routes (404, 405, 422 are produced
   there, so they pass through both layers above).
"""

import logging
import re
import time
import uuid

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.cors import (
    ALLOWED_HEADERS,
    ALLOWED_METHODS,
    EXPOSED_HEADERS,
    PREFLIGHT_MAX_AGE_SECONDS,
)

logger = logging.getLogger("app.request")

REQUEST_ID_HEADER = "X-Request-ID"
PROCESS_TIME_HEADER = "X-Process-Time"

# 1 to 64 characters, only ASCII letters, digits, '-', '_' and '.'.
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")


def resolve_request_id(incoming: str | None) -> str:
    """Reuse a well-formed client id, otherwise generate a UUID4."""
    if incoming is not None and _REQUEST_ID_RE.fullmatch(incoming):
        return incoming
    return str(uuid.uuid4())


def _format_ms(start: float) -> str:
    elapsed_ms = max(time.perf_counter() - start, 0.0) * 1000.0
    return f"{elapsed_ms:.3f}"


class RequestContextMiddleware:
    """Pure ASGI middleware: request id, processing time and a JSON 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        start = time.perf_counter()
        request_id = resolve_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER))
        # Same dict that ``request.state`` wraps in every handler.
        scope.setdefault("state", {})["request_id"] = request_id

        response_started = False

        async def send_with_context(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
                headers[PROCESS_TIME_HEADER] = _format_ms(start)
            await send(message)

        try:
            await self.app(scope, receive, send_with_context)
        except Exception:
            logger.exception(
                "Unhandled exception [request_id=%s] %s %s",
                request_id,
                scope.get("method"),
                scope.get("path"),
            )
            if response_started:
                # Too late to send a different response; let the server abort it.
                raise
            response = JSONResponse(
                {"detail": "Internal Server Error"}, status_code=500
            )
            await response(scope, receive, send_with_context)


def setup_middleware(app: FastAPI, cors_origins: list[str]) -> None:
    """Install the stack. ``add_middleware`` wraps, so the last one is outermost."""
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=cors_origins,
        allow_credentials=True,
        allow_methods=list(ALLOWED_METHODS),
        allow_headers=list(ALLOWED_HEADERS),
        expose_headers=list(EXPOSED_HEADERS),
        max_age=PREFLIGHT_MAX_AGE_SECONDS,
    )
