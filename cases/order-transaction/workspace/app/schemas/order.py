from datetime import datetime

from pydantic import BaseModel, ConfigDict


class OrderLineCreate(BaseModel):
    product_id: int
    quantity: int


class OrderCreate(BaseModel):
    items: list[OrderLineCreate]


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
