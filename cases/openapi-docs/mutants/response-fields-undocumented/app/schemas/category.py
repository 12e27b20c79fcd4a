from pydantic import BaseModel, ConfigDict, Field


class CategoryCreate(BaseModel):
    """Payload to create a category."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"name": "Garden", "description": "Tools and furniture for the garden"}
            ]
        }
    )

    name: str = Field(
        min_length=1,
        max_length=50,
        description="Unique category name.",
        examples=["Garden"],
    )
    description: str | None = Field(
        default=None,
        max_length=200,
        description="Optional free-text description shown to shoppers.",
        examples=["Tools and furniture for the garden"],
    )


class CategoryResponse(BaseModel):
    """A stored category."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "name": "Garden",
                    "description": "Tools and furniture for the garden",
                }
            ]
        },
    )

    id: int
    name: str
    description: str | None
