from pydantic import BaseModel, ConfigDict, Field


class ErrorResponse(BaseModel):
    """Body of every error the API raises itself (404, 409)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"detail": "Product not found"}]}
    )

    detail: str = Field(
        description="Human-readable message explaining why the request failed.",
        examples=["Product not found", "SKU already exists"],
    )
