from pydantic import BaseModel, ConfigDict, Field


class CategoryCreate(BaseModel):
    """Request body for creating a category."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"name": "Hardware", "description": "Tools, fasteners and fittings"}
            ]
        }
    )

    name: str = Field(
        min_length=1,
        max_length=50,
        description="Unique category name, 1 to 50 characters.",
        examples=["Hardware"],
    )
    description: str | None = Field(
        default=None,
        max_length=200,
        description="Optional free-text description, at most 200 characters.",
        examples=["Tools, fasteners and fittings"],
    )


class CategoryResponse(BaseModel):
    """A stored category."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "name": "Hardware",
                    "description": "Tools, fasteners and fittings",
                }
            ]
        },
    )

    id: int = Field(description="Unique identifier of the category.", examples=[1])
    name: str = Field(description="Unique category name.", examples=["Hardware"])
    description: str | None = Field(
        description="Free-text description, or null when none was given.",
        examples=["Tools, fasteners and fittings"],
    )
