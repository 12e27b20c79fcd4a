"""Application errors and how they are rendered."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

_SAFE_KEYS = ("type", "loc", "msg")


class ApiError(Exception):
    status_code = 400
    message = "Bad request"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class NotFoundError(ApiError):
    status_code = 404
    message = "Not found"


class ConflictError(ApiError):
    status_code = 409
    message = "Conflict"


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Keep only type/loc/msg: the default body repeats the offending input.
        errors = [
            {key: err[key] for key in _SAFE_KEYS if key in err} for err in exc.errors()
        ]
        for err in errors:
            err["loc"] = [
                str(part) if not isinstance(part, int) else part for part in err["loc"]
            ]
        return JSONResponse({"detail": errors}, status_code=422)
