from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class OrderLineCreate(BaseModel):
    product_id: int = Field(..., description="The product ordered", examples=[1])
    quantity: int = Field(
        ..., gt=0, description="Units ordered (positive)", examples=[2]
    )
    unit_price_cents: int | None = Field(
        default=None, ge=0, description="Agreed unit price; defaults to the list price"
    )


class OrderCreate(BaseModel):
    items: list[OrderLineCreate] = Field(
        ...,
        min_length=1,
        max_length=100,
        description="Order lines; a product may appear on several lines",
    )


class OrderLineResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: int
    quantity: int
    unit_price_cents: int = Field(..., description="Product price when ordered")
    line_total_cents: int = Field(..., description="quantity x unit_price_cents")


class OrderResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    total_cents: int = Field(..., description="Sum of the line totals")
    created_at: datetime
    items: list[OrderLineResponse]
