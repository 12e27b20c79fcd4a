"""Turns every failure into the error envelope.

* ``AppException`` subclasses -> their own status / code / message;
* ``HTTPException`` (ours, FastAPI's or Starlette's routing 404/405) -> by status;
* request validation errors -> 422 ``validation_error`` with per-field details;
* anything else -> 500 ``internal_error``, logged server-side only.
"""

import logging
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.exceptions import AppException

log = logging.getLogger(__name__)

_CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_error",
    429: "too_many_requests",
}


def envelope(
    status_code: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details or []}}
    return JSONResponse(body, status_code=status_code, headers=headers)


def internal_error() -> JSONResponse:
    return envelope(500, "internal_error", "Internal server error")


def _dotted(loc: tuple[Any, ...] | list[Any]) -> str:
    path = list(loc)
    if len(path) > 1:
        path = path[1:]
    return ".".join(str(p) for p in path) or "request"


async def handle_app_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppException)
    if exc.status_code >= 500:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return internal_error()
    return envelope(exc.status_code, exc.code, exc.message, exc.details)


async def handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if isinstance(exc.detail, str) and exc.detail:
        message = exc.detail
    else:
        try:
            message = HTTPStatus(exc.status_code).phrase
        except ValueError:
            message = "HTTP error"
    return envelope(
        exc.status_code,
        _CODE_BY_STATUS.get(exc.status_code, "http_error"),
        message,
        headers=exc.headers,
    )


async def handle_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [
        {
            "field": _dotted(err.get("loc", ())),
            "message": str(err.get("msg") or "Invalid value"),
        }
        for err in exc.errors()
    ]
    return envelope(422, "validation_error", "Request validation failed", details)


async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error(
        "Unhandled error on %s %s", request.method, request.url.path, exc_info=exc
    )
    return internal_error()


EXCEPTION_HANDLERS = {
    AppException: handle_app_exception,
    RequestValidationError: handle_validation_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}


class CatchAllMiddleware:
    """Pure ASGI middleware: the last line of defence for unhandled exceptions.

    Starlette's own 500 path re-raises the exception after responding (and in
    debug mode renders a traceback); this turns any exception that escapes the
    handlers into the generic envelope and keeps it server-side.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                # Too late to send a different response; let the server log it.
                raise
            log.error(
                "Unhandled error on %s %s",
                scope.get("method"),
                scope.get("path"),
                exc_info=exc,
            )
            await internal_error()(scope, receive, send)
