from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

SKU_PATTERN = r"^[A-Z0-9-]{3,32}$"

_PRODUCT_EXAMPLE = {
    "name": "Cordless drill",
    "sku": "DRL-18V-001",
    "price": 89.9,
    "quantity": 12,
    "category_id": 1,
}


class ProductCreate(BaseModel):
    """Payload to create a product."""

    model_config = ConfigDict(json_schema_extra={"examples": [_PRODUCT_EXAMPLE]})

    name: str = Field(
        min_length=1,
        max_length=100,
        description="Display name of the product.",
        examples=["Cordless drill"],
    )
    sku: str = Field(
        pattern=SKU_PATTERN,
        description="Unique stock keeping unit (3-32 of A-Z, 0-9 and -).",
        examples=["DRL-18V-001"],
    )
    price: float = Field(gt=0, description="Unit price in EUR, > 0.", examples=[89.9])
    quantity: int = Field(
        default=0, ge=0, description="Units in stock (default 0).", examples=[12]
    )
    category_id: int = Field(
        description="Identifier of an existing category.", examples=[1]
    )


class ProductUpdate(BaseModel):
    """Partial update: only the fields sent are changed."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"price": 79.9, "quantity": 30}]}
    )

    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="New display name.",
        examples=["Cordless drill 18V"],
    )
    sku: str | None = Field(
        default=None,
        pattern=SKU_PATTERN,
        description="New SKU; must not belong to another product.",
        examples=["DRL-18V-002"],
    )
    price: float | None = Field(
        default=None, gt=0, description="New unit price in EUR, > 0.", examples=[79.9]
    )
    quantity: int | None = Field(
        default=None, ge=0, description="New number of units in stock.", examples=[30]
    )
    category_id: int | None = Field(
        default=None,
        description="Identifier of the existing category to move the product to.",
        examples=[2],
    )


class ProductResponse(BaseModel):
    """A stored product."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {"id": 7, **_PRODUCT_EXAMPLE, "created_at": "2025-01-31T09:30:00Z"}
            ]
        },
    )

    id: int
    name: str
    sku: str
    price: float
    quantity: int
    category_id: int
    created_at: datetime
