from pydantic import BaseModel, ConfigDict, Field


class ErrorResponse(BaseModel):
    """The body of every error response except validation errors (422)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"detail": "Product not found"}]}
    )

    detail: str = Field(
        description="Human-readable explanation of the error.",
        examples=["Product not found"],
    )
