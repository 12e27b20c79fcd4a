from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt


class OrderLineCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    product_id: StrictInt
    quantity: Annotated[int, Field(strict=True, gt=0)]


class OrderCreate(BaseModel):
    items: Annotated[list[OrderLineCreate], Field(min_length=1)]


class OrderLineResponse(BaseModel):
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
