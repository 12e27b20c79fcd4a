from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictInt


class OrderLineCreate(BaseModel):
    """One requested line. Any other field sent (a price, say) is ignored."""

    model_config = ConfigDict(extra="ignore")

    product_id: int = Field(..., description="Id of an existing product", examples=[1])
    quantity: StrictInt = Field(
        ..., ge=1, description="Units ordered, a whole number >= 1", examples=[2]
    )


class OrderCreate(BaseModel):
    items: list[OrderLineCreate] = Field(..., min_length=1)


class OrderLineResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: int
    quantity: int
    unit_price_cents: int
    line_total_cents: int


class OrderResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    total_cents: int
    created_at: datetime
    items: list[OrderLineResponse]
