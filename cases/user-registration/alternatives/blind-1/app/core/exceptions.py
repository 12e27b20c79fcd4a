"""Exception handlers shared by the whole API."""

from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


def sanitize_validation_errors(errors: Any) -> list[dict[str, Any]]:
    """Keep only ``loc``, ``msg`` and ``type`` of each validation error.

    FastAPI's default handler also returns ``input`` (and ``ctx``), which
    would echo submitted values, such as the password, back to the client.
    """
    sanitized: list[dict[str, Any]] = []
    for error in errors:
        sanitized.append(
            {
                "loc": [
                    part if isinstance(part, (str, int)) else str(part)
                    for part in error.get("loc", ())
                ],
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
        )
    return sanitized


async def request_validation_exception_handler(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content={"detail": sanitize_validation_errors(exc.errors())},
    )


def register_exception_handlers(app: FastAPI) -> None:
    app.add_exception_handler(
        RequestValidationError,
        request_validation_exception_handler,  # type: ignore[arg-type]
    )
