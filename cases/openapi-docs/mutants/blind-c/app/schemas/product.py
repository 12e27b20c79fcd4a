from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

SKU_PATTERN = r"^[A-Z0-9-]{3,32}$"

PRODUCT_EXAMPLE = {
    "id": 1,
    "name": "Cordless drill",
    "sku": "DRL-18V-001",
    "price": 89.99,
    "quantity": 25,
    "category_id": 1,
    "created_at": "2024-05-01T09:30:00",
}


class ProductCreate(BaseModel):
    """Request body for creating a product."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Cordless drill",
                    "sku": "DRL-18V-001",
                    "price": 89.99,
                    "quantity": 25,
                    "category_id": 1,
                }
            ]
        }
    )

    name: str = Field(
        min_length=1,
        max_length=100,
        description="Product name, 1 to 100 characters.",
        examples=["Cordless drill"],
    )
    sku: str = Field(
        pattern=SKU_PATTERN,
        description="Stock keeping unit, unique: 3 to 32 upper-case letters, "
        "digits or hyphens.",
        examples=["DRL-18V-001"],
    )
    price: float = Field(
        gt=0, description="Unit price, greater than 0.", examples=[89.99]
    )
    quantity: int = Field(
        default=0,
        ge=0,
        description="Units in stock, 0 or more (defaults to 0).",
        examples=[25],
    )
    category_id: int = Field(
        description="ID of the existing category the product belongs to.",
        examples=[1],
    )


class ProductUpdate(BaseModel):
    """Partial update: only the fields that are sent are changed."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"price": 79.99, "quantity": 40}]}
    )

    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="New product name, 1 to 100 characters.",
        examples=["Cordless drill 18V"],
    )
    sku: str | None = Field(
        default=None,
        description="New unique SKU: 3 to 32 upper-case letters, digits or hyphens.",
        examples=["DRL-18V-002"],
    )
    price: float | None = Field(
        default=None,
        gt=0,
        description="New unit price, greater than 0.",
        examples=[79.99],
    )
    quantity: int | None = Field(
        default=None, ge=0, description="New stock level, 0 or more.", examples=[40]
    )
    category_id: int | None = Field(
        default=None,
        description="ID of the existing category to move the product to.",
        examples=[2],
    )


class ProductResponse(BaseModel):
    """A stored product."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [PRODUCT_EXAMPLE]}
    )

    id: int = Field(description="Unique identifier of the product.", examples=[1])
    name: str = Field(description="Product name.", examples=["Cordless drill"])
    sku: str = Field(description="Unique stock keeping unit.", examples=["DRL-18V-001"])
    price: float = Field(description="Unit price.", examples=[89.99])
    quantity: int = Field(description="Units in stock.", examples=[25])
    category_id: int = Field(
        description="ID of the category the product belongs to.", examples=[1]
    )
    created_at: datetime = Field(
        description="When the product was created (ISO 8601).",
        examples=["2024-05-01T09:30:00"],
    )
