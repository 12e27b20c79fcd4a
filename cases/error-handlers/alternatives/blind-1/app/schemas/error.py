from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorItem(BaseModel):
    """One entry of ``error.details`` (validation errors use field/message)."""

    model_config = ConfigDict(extra="allow")

    field: str = Field(
        description="Offending field, dotted path", examples=["price_cents"]
    )
    message: str = Field(
        description="What is wrong with it", examples=["Field required"]
    )


class ErrorBody(BaseModel):
    code: str = Field(description="Machine-readable error code", examples=["not_found"])
    message: str = Field(
        min_length=1,
        description="Human-readable description",
        examples=["Product 42 not found"],
    )
    details: list[ErrorItem] = Field(
        default_factory=list, description="Additional information; may be empty"
    )


class ErrorResponse(BaseModel):
    """The envelope every error response uses."""

    error: ErrorBody


def error_content(
    code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Build the JSON body of an error response."""
    return {"error": {"code": code, "message": message, "details": list(details or [])}}


def error_responses(*status_codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries documenting the envelope for these statuses."""
    descriptions = {
        404: "Resource not found",
        409: "Conflict",
        422: "Validation error",
        500: "Internal server error",
    }
    return {
        code: {"model": ErrorResponse, "description": descriptions.get(code, "Error")}
        for code in status_codes
    }
