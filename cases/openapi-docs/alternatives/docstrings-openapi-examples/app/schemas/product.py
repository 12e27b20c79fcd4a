from pydantic import BaseModel, ConfigDict

from app.schemas.common import (
    CategoryId,
    Price,
    ProductId,
    ProductName,
    Quantity,
    Sku,
    Timestamp,
)


class ProductCreate(BaseModel):
    name: ProductName
    sku: Sku
    price: Price
    quantity: Quantity = 0
    category_id: CategoryId


class ProductUpdate(BaseModel):
    name: ProductName | None = None
    sku: Sku | None = None
    price: Price | None = None
    quantity: Quantity | None = None
    category_id: CategoryId | None = None


class ProductResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: ProductId
    name: ProductName
    sku: Sku
    price: Price
    quantity: Quantity
    category_id: CategoryId
    created_at: Timestamp
