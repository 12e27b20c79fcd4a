"""Exception handlers producing the one error envelope:
``{"error": {"code": ..., "message": ..., "details": [...]}}``."""

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.exceptions import AppError

logger = logging.getLogger("app.errors")

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_error",
    429: "too_many_requests",
}


def error_response(
    status_code: int,
    code: str,
    message: str,
    details: Sequence[Mapping[str, Any]] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": list(details)}}
    return JSONResponse(
        status_code=status_code, content=jsonable_encoder(body), headers=headers
    )


def _field(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


async def app_error_handler(_: Request, exc: AppError) -> JSONResponse:
    return error_response(exc.status_code, exc.code, exc.message, exc.details)


async def http_exception_handler(
    _: Request, exc: StarletteHTTPException
) -> JSONResponse:
    status_code = exc.status_code
    if isinstance(exc.detail, str) and exc.detail:
        message = exc.detail
    else:
        message = HTTPStatus(status_code).phrase
    return error_response(
        status_code,
        HTTP_CODES.get(status_code, "http_error"),
        message,
        headers=exc.headers,
    )


async def validation_exception_handler(
    _: Request, exc: RequestValidationError
) -> JSONResponse:
    details = [
        {"field": _field(error.get("loc", ())), "message": str(error.get("msg", ""))}
        for error in exc.errors()
    ]
    return error_response(422, "validation_error", "Request validation failed", details)


async def unhandled_exception_handler(request: Request, exc: Exception) -> JSONResponse:
    # Full details go to the server log only; the client gets a generic envelope.
    logger.error(
        "Unhandled error on %s %s", request.method, request.url.path, exc_info=exc
    )
    return error_response(500, "internal_error", "Internal server error")


def register_exception_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, app_error_handler)
    # Starlette's class, so routing errors (unknown URL, wrong method) are covered too.
    app.add_exception_handler(StarletteHTTPException, http_exception_handler)
    app.add_exception_handler(RequestValidationError, validation_exception_handler)
    app.add_exception_handler(Exception, unhandled_exception_handler)
