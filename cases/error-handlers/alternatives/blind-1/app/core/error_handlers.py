"""Exception handlers producing the uniform error envelope."""

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.exceptions import AppError
from app.schemas.error import error_content

logger = logging.getLogger("app.errors")

INTERNAL_ERROR_MESSAGE = "Internal server error"

HTTP_STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_error",
    429: "too_many_requests",
}


def code_for_status(status_code: int) -> str:
    return HTTP_STATUS_CODES.get(status_code, "http_error")


def _status_phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "HTTP error"


def error_response(
    status_code: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        status_code=status_code,
        content=error_content(code, message, details),
        headers=headers,
    )


def internal_error_response() -> JSONResponse:
    return error_response(500, "internal_error", INTERNAL_ERROR_MESSAGE)


def _field_from_loc(loc: Any) -> str:
    parts = [str(part) for part in (loc or ())]
    if not parts:
        return "request"
    if len(parts) == 1:
        return parts[0]
    return ".".join(parts[1:])


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        message = str(err.get("msg") or "Invalid value")
        details.append({"field": _field_from_loc(err.get("loc")), "message": message})
    return details


async def app_error_handler(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if exc.status_code >= 500:
        logger.error("Application error %s", exc.code, exc_info=exc)
        return internal_error_response()
    return error_response(exc.status_code, exc.code, exc.message, exc.details)


async def http_exception_handler(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail
    if isinstance(detail, str) and detail.strip():
        message = detail
    else:
        message = _status_phrase(exc.status_code)
    headers = dict(exc.headers) if exc.headers else None
    return error_response(
        exc.status_code, code_for_status(exc.status_code), message, headers=headers
    )


async def validation_exception_handler(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return error_response(
        422,
        "validation_error",
        "Request validation failed",
        _validation_details(exc),
    )


async def unhandled_exception_handler(request: Request, exc: Exception) -> Response:
    logger.error(
        "Unhandled exception on %s %s", request.method, request.url.path, exc_info=exc
    )
    return internal_error_response()


def register_exception_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, app_error_handler)
    app.add_exception_handler(RequestValidationError, validation_exception_handler)
    app.add_exception_handler(StarletteHTTPException, http_exception_handler)
    # Last-resort handler used by Starlette's ServerErrorMiddleware.
    app.add_exception_handler(Exception, unhandled_exception_handler)

    @app.middleware("http")
    async def catch_unhandled_exceptions(request: Request, call_next: Any) -> Response:
        # Any exception no handler above claims ends here: log it server-side and
        # answer with the generic envelope. Nothing about it reaches the client.
        try:
            return await call_next(request)
        except Exception as exc:  # noqa: BLE001
            return await unhandled_exception_handler(request, exc)
