from pydantic import BaseModel, ConfigDict, Field


class CategoryCreate(BaseModel):
    name: str = Field(
        min_length=1,
        max_length=50,
        description="Name of the category; must be unique (1-50 characters).",
        examples=["Electronics"],
    )
    description: str | None = Field(
        default=None,
        max_length=200,
        description="Optional description of the category (up to 200 characters).",
        examples=["Phones, laptops and accessories"],
    )


class CategoryResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(description="Server-assigned category ID.", examples=[3])
    name: str = Field(
        description="Unique name of the category.", examples=["Electronics"]
    )
    description: str | None = Field(
        description="Description of the category; null if none was provided.",
        examples=["Phones, laptops and accessories"],
    )
