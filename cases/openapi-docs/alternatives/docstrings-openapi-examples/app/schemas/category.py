from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import CategoryId

Name = Field(
    min_length=1,
    max_length=50,
    description="Category name, unique across the catalogue.",
    examples=["Garden"],
)


class CategoryCreate(BaseModel):
    name: str = Name
    description: str | None = Field(
        default=None,
        max_length=200,
        description="Optional description (max. 200 characters).",
        examples=["Tools and furniture for the garden"],
    )


class CategoryResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: CategoryId
    name: str = Field(description="Category name.", examples=["Garden"])
    description: str | None = Field(
        description="Description, null if none.",
        examples=["Tools and furniture for the garden"],
    )
