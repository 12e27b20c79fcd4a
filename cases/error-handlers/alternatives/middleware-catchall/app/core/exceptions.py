"""Application exceptions and the handlers that render them as the error envelope."""

from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []


class ProductNotFound(ApiError):
    def __init__(self, product_id: int) -> None:
        super().__init__(404, "not_found", f"Product {product_id} does not exist")


class DuplicateSku(ApiError):
    def __init__(self, sku: str) -> None:
        super().__init__(409, "conflict", f"SKU {sku} is already in use")


class NotEnoughStock(ApiError):
    def __init__(self, available: int, requested: int) -> None:
        super().__init__(
            409,
            "insufficient_stock",
            f"Requested {requested} units but only {available} are in stock",
        )


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
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message, "details": details or []}},
        status_code=status,
        headers=headers,
    )


def internal_error() -> JSONResponse:
    return envelope(500, "internal_error", "Internal server error")


async def on_api_error(_: Request, exc: ApiError) -> JSONResponse:
    return envelope(exc.status, exc.code, exc.message, exc.details)


async def on_http_exception(_: Request, exc: HTTPException) -> JSONResponse:
    message = exc.detail if isinstance(exc.detail, str) else None
    return envelope(
        exc.status_code,
        _CODE_BY_STATUS.get(exc.status_code, "http_error"),
        message or HTTPStatus(exc.status_code).phrase,
        headers=dict(exc.headers) if exc.headers else None,
    )


async def on_validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    details = []
    for err in exc.errors():
        loc = [str(part) for part in err["loc"]]
        details.append({"field": ".".join(loc[1:] or loc), "message": err["msg"]})
    return envelope(422, "validation_error", "The request is invalid", details)


HANDLERS: dict[Any, Any] = {
    ApiError: on_api_error,
    HTTPException: on_http_exception,
    RequestValidationError: on_validation_error,
}
