"""Domain exceptions and their HTTP mapping."""

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse


class EmailAlreadyRegisteredError(Exception):
    def __init__(self, email: str) -> None:
        super().__init__(email)
        self.email = email


async def email_taken_handler(_: Request, __: Exception) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_409_CONFLICT,
        content={"detail": "A user with this email already exists"},
    )


def register_exception_handlers(app: FastAPI) -> None:
    app.add_exception_handler(EmailAlreadyRegisteredError, email_taken_handler)
