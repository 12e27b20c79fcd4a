from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.product import Product
from app.schemas.product import ProductCreate, ProductReplace, ProductUpdate


async def list_products(
    session: AsyncSession, *, skip: int, limit: int
) -> Sequence[Product]:
    result = await session.scalars(
        select(Product).order_by(Product.id).offset(skip).limit(limit)
    )
    return result.all()


async def get_product(session: AsyncSession, product_id: int) -> Product | None:
    return await session.get(Product, product_id)


async def create_product(session: AsyncSession, data: ProductCreate) -> Product:
    product = Product(**data.model_dump())
    session.add(product)
    await session.commit()
    await session.refresh(product)
    return product


async def replace_product(
    session: AsyncSession, product: Product, data: ProductReplace
) -> Product:
    for field, value in data.model_dump().items():
        setattr(product, field, value)
    await session.commit()
    await session.refresh(product)
    return product


async def update_product(
    session: AsyncSession, product: Product, data: ProductUpdate
) -> Product:
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(product, field, value)
    await session.commit()
    await session.refresh(product)
    return product


async def delete_product(session: AsyncSession, product: Product) -> None:
    await session.delete(product)
    await session.commit()
