from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.exceptions import DuplicateSku, NotEnoughStock, ProductNotFound
from app.models.product import Product
from app.schemas.product import ProductCreate


async def list_products(
    db: AsyncSession, *, sort: str, limit: int, offset: int
) -> Sequence[Product]:
    column = getattr(Product, sort.lstrip("-"))
    order = column.desc() if sort.startswith("-") else column.asc()
    stmt = select(Product).order_by(order, Product.id).limit(limit).offset(offset)
    return (await db.scalars(stmt)).all()


async def get_product(db: AsyncSession, product_id: int) -> Product:
    product = await db.get(Product, product_id)
    if product is None:
        raise ProductNotFound(product_id)
    return product


async def create_product(db: AsyncSession, data: ProductCreate) -> Product:
    taken = await db.scalar(select(Product.id).where(Product.sku == data.sku))
    if taken is not None:
        raise DuplicateSku(data.sku)
    product = Product(**data.model_dump())
    db.add(product)
    try:
        await db.commit()
    except IntegrityError as exc:  # lost a race with a concurrent insert
        await db.rollback()
        raise DuplicateSku(data.sku) from exc
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


async def adjust_stock(db: AsyncSession, product: Product, delta: int) -> Product:
    if product.stock + delta < 0:
        raise NotEnoughStock(available=product.stock, requested=-delta)
    product.stock += delta
    await db.commit()
    return product
