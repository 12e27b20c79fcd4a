from pydantic import BaseModel


class ErrorOut(BaseModel):
    """The body of every error this API answers with (handlers in app.core.exceptions)."""

    detail: str
