from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

SKU_PATTERN = r"^[A-Z0-9-]{3,32}$"


class ProductCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    sku: str = Field(pattern=SKU_PATTERN)
    price: float = Field(gt=0)
    quantity: int = Field(default=0, ge=0)
    category_id: int


class ProductUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    sku: str | None = Field(default=None, pattern=SKU_PATTERN)
    price: float | None = Field(default=None, gt=0)
    quantity: int | None = Field(default=None, ge=0)
    category_id: int | None = None


class ProductResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    sku: str
    price: float
    quantity: int
    category_id: int
    created_at: datetime
