from typing import Any

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    field: str = Field(examples=["price_cents"])
    message: str = Field(examples=["Input should be greater than or equal to 0"])


class ErrorInfo(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str = Field(min_length=1, examples=["Product 42 not found"])
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorEnvelope(BaseModel):
    """Body of every error response."""

    error: ErrorInfo


def documented(status_code: int, description: str) -> dict[int | str, dict[str, Any]]:
    return {status_code: {"model": ErrorEnvelope, "description": description}}


NOT_FOUND = documented(404, "The product does not exist")
CONFLICT = documented(409, "Conflicts with the current state")
VALIDATION = documented(422, "The request is invalid")
