"""ASGI middleware: request id and timing, and a last-resort handler for errors.

Both are plain ASGI classes rather than ``BaseHTTPMiddleware``: they do not buffer the
response and they see every response, including the ones Starlette generates itself
(404, 405, 422).
"""

import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("app.requests")

REQUEST_ID_HEADER = "X-Request-ID"
PROCESS_TIME_HEADER = "X-Process-Time"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def resolve_request_id(incoming: str | None) -> str:
    """Reuse a well-formed incoming id (callers correlate with it), else a new one."""
    if incoming is not None and _VALID_REQUEST_ID.fullmatch(incoming):
        return incoming
    return str(uuid.uuid4())


class RequestContextMiddleware:
    """Gives each request an id (``request.state.request_id``) and times it.

    Adds ``X-Request-ID`` and ``X-Process-Time`` (milliseconds) to every response.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = resolve_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER))
        started = time.perf_counter()

        async def send_with_context(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed_ms = (time.perf_counter() - started) * 1000
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
                headers[PROCESS_TIME_HEADER] = f"{elapsed_ms:.3f}"
            await send(message)

        await self.app(scope, receive, send_with_context)


class UnhandledErrorMiddleware:
    """Turns an exception no handler caught into a generic JSON 500.

    It sits inside the CORS and request-context middleware, so the 500 still carries the
    request id, the timing and the CORS headers; the details only go to the log.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        response_started = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            request_id = scope.get("state", {}).get("request_id")
            logger.exception("Unhandled error (request_id=%s)", request_id)
            if response_started:
                raise
            response = JSONResponse(
                {"detail": "Internal Server Error"}, status_code=500
            )
            await response(scope, receive, send)
