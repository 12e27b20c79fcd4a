from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.product import Product
from app.schemas.product import ProductCreate

SORTABLE = {
    "id": Product.id,
    "sku": Product.sku,
    "name": Product.name,
    "price_cents": Product.price_cents,
    "stock": Product.stock,
}


class InsufficientStock(Exception):
    def __init__(self, product_id: int, available: int, requested: int) -> None:
        super().__init__(
            f"product {product_id}: cannot remove {requested}, "
            f"only {available} in stock"
        )
        self.product_id = product_id
        self.available = available
        self.requested = requested


def parse_sort(sort: str) -> Any:
    descending = sort.startswith("-")
    field = sort.lstrip("-")
    if field not in SORTABLE:
        raise ValueError(f"cannot sort by {field!r}")
    column = SORTABLE[field]
    return column.desc() if descending else column.asc()


async def list_products(
    db: AsyncSession, *, sort: str, limit: int, offset: int
) -> Sequence[Product]:
    stmt = select(Product).order_by(parse_sort(sort), Product.id)
    return (await db.scalars(stmt.limit(limit).offset(offset))).all()


async def get_product(db: AsyncSession, product_id: int) -> Product | None:
    return await db.get(Product, product_id)


async def create_product(db: AsyncSession, data: ProductCreate) -> Product:
    product = Product(**data.model_dump())
    db.add(product)
    await db.commit()
    return product


async def update_product(
    db: AsyncSession, product: Product, changes: dict[str, Any]
) -> Product:
    for key, value in changes.items():
        setattr(product, key, value)
    await db.commit()
    return product


async def delete_product(db: AsyncSession, product: Product) -> None:
    await db.delete(product)
    await db.commit()


async def adjust_stock(db: AsyncSession, product_id: int, delta: int) -> Product:
    product = await db.get(Product, product_id)
    new_stock = product.stock + delta
    if new_stock < 0:
        raise InsufficientStock(product_id, product.stock, -delta)
    product.stock = new_stock
    await db.commit()
    return product
