from pydantic import BaseModel, Field


class ErrorResponse(BaseModel):
    """Error body returned by the API for 404 and 409 responses."""

    detail: str = Field(
        description="Message describing what went wrong.",
        examples=["Category not found"],
    )
