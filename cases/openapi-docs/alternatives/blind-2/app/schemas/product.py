from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

SKU_PATTERN = r"^[A-Z0-9-]{3,32}$"


class ProductCreate(BaseModel):
    name: str = Field(
        min_length=1,
        max_length=100,
        description="Display name of the product (1-100 characters).",
        examples=["USB-C charger 65W"],
    )
    sku: str = Field(
        pattern=SKU_PATTERN,
        description="Unique SKU: 3-32 characters from A-Z, 0-9 and '-'.",
        examples=["CHG-65W-USBC"],
    )
    price: float = Field(
        gt=0, description="Price per unit; must be positive.", examples=[39.9]
    )
    quantity: int = Field(
        default=0,
        ge=0,
        description="Number of units in stock; not negative, 0 when omitted.",
        examples=[120],
    )
    category_id: int = Field(
        description="ID of the category the product is filed under; it must exist.",
        examples=[3],
    )


class ProductUpdate(BaseModel):
    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="New display name (1-100 characters).",
        examples=["USB-C charger 65W GaN"],
    )
    sku: str | None = Field(
        default=None,
        pattern=SKU_PATTERN,
        description="New unique SKU: 3-32 characters from A-Z, 0-9 and '-'.",
        examples=["CHG-65W-GAN"],
    )
    price: float | None = Field(
        default=None, gt=0, description="New positive unit price.", examples=[34.5]
    )
    quantity: int | None = Field(
        default=None, ge=0, description="New number of units in stock.", examples=[80]
    )
    category_id: int | None = Field(
        default=None,
        description="ID of an existing category to move the product to.",
        examples=[4],
    )


class ProductResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(description="Server-assigned product ID.", examples=[17])
    name: str = Field(
        description="Display name of the product.", examples=["USB-C charger 65W"]
    )
    sku: str = Field(
        description="Unique SKU of the product.", examples=["CHG-65W-USBC"]
    )
    price: float = Field(description="Price per unit.", examples=[39.9])
    quantity: int = Field(description="Number of units in stock.", examples=[120])
    category_id: int = Field(description="ID of the product's category.", examples=[3])
    created_at: datetime = Field(
        description="Creation timestamp, ISO 8601.",
        examples=["2025-03-14T10:15:00"],
    )
