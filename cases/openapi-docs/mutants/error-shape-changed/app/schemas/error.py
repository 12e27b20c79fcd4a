from pydantic import BaseModel, ConfigDict, Field


class ErrorResponse(BaseModel):
    """The body of every error response except validation errors (422)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"code": 404, "message": "Product not found"}]}
    )

    code: int = Field(description="The HTTP status code.", examples=[404])
    message: str = Field(
        description="Human-readable explanation of the error.",
        examples=["Product not found"],
    )
