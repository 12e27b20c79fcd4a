from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.exceptions import (
    DuplicateSkuError,
    InsufficientStockError,
    InvalidSortFieldError,
    ProductNotFoundError,
)
from app.models.product import Product
from app.schemas.product import ProductCreate

SORTABLE = {
    "id": Product.id,
    "sku": Product.sku,
    "name": Product.name,
    "price_cents": Product.price_cents,
    "stock": Product.stock,
}


def parse_sort(sort: str) -> Any:
    descending = sort.startswith("-")
    field = sort.lstrip("-")
    if field not in SORTABLE:
        raise InvalidSortFieldError(field, list(SORTABLE))
    column = SORTABLE[field]
    return column.desc() if descending else column.asc()


async def list_products(
    db: AsyncSession, *, sort: str, limit: int, offset: int
) -> Sequence[Product]:
    stmt = select(Product).order_by(parse_sort(sort), Product.id)
    return (await db.scalars(stmt.limit(limit).offset(offset))).all()


async def get_product(db: AsyncSession, product_id: int) -> Product:
    """Return the product or raise ``ProductNotFoundError``."""
    product = await db.get(Product, product_id)
    if product is None:
        raise ProductNotFoundError(product_id)
    return product


async def create_product(db: AsyncSession, data: ProductCreate) -> Product:
    existing = await db.scalar(select(Product.id).where(Product.sku == data.sku))
    if existing is not None:
        raise DuplicateSkuError(data.sku)
    product = Product(**data.model_dump())
    db.add(product)
    try:
        await db.commit()
    except IntegrityError as exc:
        # A concurrent request inserted the same SKU between check and commit.
        await db.rollback()
        raise DuplicateSkuError(data.sku) from exc
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
    product = await get_product(db, product_id)
    new_stock = product.stock + delta
    if new_stock < 0:
        raise InsufficientStockError(product_id, product.stock, -delta)
    product.stock = new_stock
    await db.commit()
    return product
