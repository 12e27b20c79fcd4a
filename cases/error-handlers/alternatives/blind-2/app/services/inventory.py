from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.exceptions import InsufficientStock, ProductNotFound, SkuAlreadyExists
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
    """``sort`` is validated at the API boundary (``validate_sort``)."""
    descending = sort.startswith("-")
    column = SORTABLE[sort.lstrip("-")]
    return column.desc() if descending else column.asc()


def validate_sort(sort: str) -> str:
    field = sort.lstrip("-")
    if field not in SORTABLE:
        allowed = ", ".join(SORTABLE)
        raise ValueError(f"cannot sort by {field!r}; sortable fields: {allowed}")
    return sort


async def list_products(
    db: AsyncSession, *, sort: str, limit: int, offset: int
) -> Sequence[Product]:
    stmt = select(Product).order_by(parse_sort(sort), Product.id)
    return (await db.scalars(stmt.limit(limit).offset(offset))).all()


async def get_product(db: AsyncSession, product_id: int) -> Product:
    product = await db.get(Product, product_id)
    if product is None:
        raise ProductNotFound(product_id)
    return product


async def create_product(db: AsyncSession, data: ProductCreate) -> Product:
    product = Product(**data.model_dump())
    db.add(product)
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        # `sku` carries the only unique constraint on the table.
        raise SkuAlreadyExists(data.sku) from exc
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
        raise InsufficientStock(product_id, product.stock, -delta)
    product.stock = new_stock
    await db.commit()
    return product
