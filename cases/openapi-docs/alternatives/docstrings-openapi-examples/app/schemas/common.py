"""Reusable documented field types and the error model."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

CategoryId = Annotated[
    int, Field(description="Identifier of a category.", examples=[1])
]
ProductId = Annotated[int, Field(description="Identifier of a product.", examples=[7])]
Sku = Annotated[
    str,
    Field(
        pattern=r"^[A-Z0-9-]{3,32}$",
        description="Stock keeping unit: 3-32 characters from A-Z, 0-9 and '-'.",
        examples=["DRL-18V-001"],
    ),
]
Price = Annotated[
    float, Field(gt=0, description="Unit price in EUR (> 0).", examples=[89.9])
]
Quantity = Annotated[
    int, Field(ge=0, description="Units in stock (>= 0).", examples=[12])
]
ProductName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="Display name of the product.",
        examples=["Cordless drill"],
    ),
]
Timestamp = Annotated[
    datetime,
    Field(description="Creation time, ISO 8601.", examples=["2025-01-31T09:30:00Z"]),
]


class HTTPError(BaseModel):
    """Error body: every non-validation error has exactly this shape."""

    detail: str = Field(
        description="What went wrong, for humans.", examples=["Product not found"]
    )
