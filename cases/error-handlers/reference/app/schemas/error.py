from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    code: str = Field(examples=["not_found"], description="Machine-readable error code")
    message: str = Field(examples=["Product 42 not found"])
    details: list[dict[str, Any]] = Field(
        default_factory=list,
        description="For validation_error: one {field, message} entry per problem",
    )


class ErrorResponse(BaseModel):
    """The single error envelope every failing request returns."""

    error: ErrorBody
