from pydantic import BaseModel, ConfigDict, Field, field_validator


class ProductCreate(BaseModel):
    sku: str = Field(pattern=r"^[A-Z0-9-]{3,32}$", examples=["WID-001"])
    name: str = Field(min_length=1, max_length=100)
    price_cents: int = Field(ge=0, description="Unit price in cents")
    stock: int = Field(default=0, ge=0)


class ProductUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    price_cents: int | None = Field(default=None, ge=0)


class ProductResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sku: str
    name: str
    price_cents: int
    stock: int


class StockAdjustment(BaseModel):
    delta: int = Field(description="Units to add (positive) or remove (negative)")
    reason: str | None = Field(default=None, max_length=200)

    @field_validator("delta")
    @classmethod
    def non_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("delta must not be zero")
        return value
