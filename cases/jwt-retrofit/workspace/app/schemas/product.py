from pydantic import BaseModel, ConfigDict, Field


class ProductBase(BaseModel):
    name: str = Field(..., min_length=1, max_length=200, examples=["Espresso cup"])
    description: str | None = Field(default=None, max_length=2000)
    price: float = Field(..., gt=0, description="Unit price", examples=[12.5])
    quantity: int = Field(default=0, ge=0, description="Units in stock")


class ProductCreate(ProductBase):
    """Body of POST /products."""


class ProductReplace(ProductBase):
    """Body of PUT /products/{product_id}: the full new state."""


class ProductUpdate(BaseModel):
    """Body of PATCH /products/{product_id}: only the fields to change."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    price: float | None = Field(default=None, gt=0)
    quantity: int | None = Field(default=None, ge=0)


class ProductResponse(ProductBase):
    id: int

    model_config = ConfigDict(from_attributes=True)
