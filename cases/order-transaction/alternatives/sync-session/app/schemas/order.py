from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, computed_field


class OrderLineCreate(BaseModel):
    product_id: int
    quantity: PositiveInt


class OrderCreate(BaseModel):
    items: list[OrderLineCreate] = Field(min_length=1)


class OrderLineResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: int
    quantity: int
    unit_price_cents: int

    @computed_field
    @property
    def line_total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


class OrderResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    total_cents: int
    created_at: datetime
    items: list[OrderLineResponse]
