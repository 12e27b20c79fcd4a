"""Last-resort handling of unexpected errors.

The client only ever sees ``500 {"detail": "Internal server error"}``; the
exception and its traceback are written to the server log.
"""

import logging

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("app.errors")

GENERIC_500 = {"detail": "Internal server error"}


def internal_server_error() -> JSONResponse:
    return JSONResponse(status_code=500, content=GENERIC_500)


async def unhandled_exception_handler(request: Request, exc: Exception) -> JSONResponse:
    logger.error(
        "Unhandled error on %s %s", request.method, request.url.path, exc_info=exc
    )
    return internal_server_error()


class UnhandledErrorMiddleware:
    """Pure ASGI middleware turning escaped exceptions into the generic 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        response_started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception:
            logger.exception(
                "Unhandled error on %s %s", scope.get("method"), scope.get("path")
            )
            if response_started:
                raise
            await internal_server_error()(scope, receive, send)
