from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status
from sqlalchemy import select

from app.api.v1.dependencies import DbSession
from app.models.category import Category
from app.models.product import Product
from app.schemas.product import ProductCreate, ProductResponse, ProductUpdate

router = APIRouter(prefix="/products")


async def _sku_taken(db: DbSession, sku: str, exclude_id: int | None = None) -> bool:
    query = select(Product.id).where(Product.sku == sku)
    if exclude_id is not None:
        query = query.where(Product.id != exclude_id)
    return await db.scalar(query) is not None


async def _get_product(db: DbSession, product_id: int) -> Product:
    product = await db.get(Product, product_id)
    if product is None:
        raise HTTPException(status_code=404, detail="Product not found")
    return product


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_product(data: ProductCreate, db: DbSession):
    if await db.get(Category, data.category_id) is None:
        raise HTTPException(status_code=404, detail="Category not found")
    if await _sku_taken(db, data.sku):
        raise HTTPException(status_code=409, detail="SKU already exists")
    product = Product(**data.model_dump())
    db.add(product)
    await db.commit()
    await db.refresh(product)
    return ProductResponse.model_validate(product)


@router.get("")
async def list_products(
    db: DbSession,
    category_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    query = select(Product).order_by(Product.id).limit(limit).offset(offset)
    if category_id is not None:
        query = query.where(Product.category_id == category_id)
    products = (await db.scalars(query)).all()
    return [ProductResponse.model_validate(p) for p in products]


@router.get("/{product_id}")
async def get_product(product_id: int, db: DbSession):
    return ProductResponse.model_validate(await _get_product(db, product_id))


@router.patch("/{product_id}")
async def update_product(product_id: int, data: ProductUpdate, db: DbSession):
    product = await _get_product(db, product_id)
    changes = data.model_dump(exclude_unset=True)
    if (
        "category_id" in changes
        and await db.get(Category, changes["category_id"]) is None
    ):
        raise HTTPException(status_code=404, detail="Category not found")
    if "sku" in changes and await _sku_taken(db, changes["sku"], exclude_id=product_id):
        raise HTTPException(status_code=409, detail="SKU already exists")
    for field, value in changes.items():
        setattr(product, field, value)
    await db.commit()
    await db.refresh(product)
    return ProductResponse.model_validate(product)


@router.delete("/{product_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_product(product_id: int, db: DbSession):
    product = await _get_product(db, product_id)
    await db.delete(product)
    await db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
