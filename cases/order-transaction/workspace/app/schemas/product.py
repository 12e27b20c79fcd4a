from pydantic import BaseModel, ConfigDict, Field


class ProductBase(BaseModel):
    name: str = Field(
        ..., min_length=1, max_length=200, examples=["Espresso beans 1kg"]
    )
    price_cents: int = Field(
        ..., ge=0, description="Unit price in cents", examples=[1999]
    )


class ProductCreate(ProductBase):
    stock: int = Field(default=0, ge=0, description="Units on hand")


class ProductResponse(ProductBase):
    model_config = ConfigDict(from_attributes=True)

    id: int
    stock: int
