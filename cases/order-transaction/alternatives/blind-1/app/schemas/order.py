from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# JSON integers only: strict mode refuses 2.5, 2.0, "2" and true (no coercion).
StrictId = Annotated[int, Field(strict=True, description="Id of an existing product")]
Quantity = Annotated[
    int, Field(strict=True, ge=1, description="Units ordered (1 or more)", examples=[2])
]


class OrderLineCreate(BaseModel):
    # Unknown fields (e.g. a client-supplied price) are ignored: prices always come from
    # the products table.
    model_config = ConfigDict(extra="ignore")

    product_id: StrictId
    quantity: Quantity


class OrderCreate(BaseModel):
    items: list[OrderLineCreate] = Field(
        ...,
        min_length=1,
        description="Order lines; a product may appear on several lines.",
    )


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
