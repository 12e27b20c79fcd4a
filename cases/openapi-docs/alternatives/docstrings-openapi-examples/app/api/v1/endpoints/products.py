from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path, Query, Response, status
from sqlalchemy import select

from app.api.v1 import docs
from app.api.v1.dependencies import DbSession
from app.models.category import Category
from app.models.product import Product
from app.schemas.product import ProductCreate, ProductResponse, ProductUpdate

router = APIRouter(prefix="/products", tags=["products"])

ProductPath = Annotated[int, Path(description="The product's id.")]


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


@router.post(
    "",
    response_model=ProductResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Add a product",
    responses={
        **docs.ok(docs.PRODUCT, 201),
        **docs.err(404, "Category not found"),
        **docs.err(409, "SKU already exists"),
    },
)
async def create_product(
    data: Annotated[ProductCreate, Body(openapi_examples=docs.PRODUCT_CREATE_EXAMPLES)],
    db: DbSession,
) -> Product:
    """Add a product to an existing category; its SKU must be unused."""
    if await db.get(Category, data.category_id) is None:
        raise HTTPException(status_code=404, detail="Category not found")
    if await _sku_taken(db, data.sku):
        raise HTTPException(status_code=409, detail="SKU already exists")
    product = Product(**data.model_dump())
    db.add(product)
    await db.commit()
    await db.refresh(product)
    return product


@router.get(
    "",
    response_model=list[ProductResponse],
    summary="List products",
    responses=docs.ok([docs.PRODUCT]),
)
async def list_products(
    db: DbSession,
    category_id: Annotated[
        int | None, Query(description="Restrict to one category.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Page size, 1-100.")] = 50,
    offset: Annotated[int, Query(ge=0, description="Products to skip.")] = 0,
) -> list[Product]:
    """Products in id order, optionally filtered by category, paginated."""
    query = select(Product).order_by(Product.id).limit(limit).offset(offset)
    if category_id is not None:
        query = query.where(Product.category_id == category_id)
    return list((await db.scalars(query)).all())


@router.get(
    "/{product_id}",
    response_model=ProductResponse,
    summary="Fetch one product",
    responses={**docs.ok(docs.PRODUCT), **docs.err(404, "Product not found")},
)
async def get_product(product_id: ProductPath, db: DbSession) -> Product:
    """Look a product up by id."""
    return await _get_product(db, product_id)


@router.patch(
    "/{product_id}",
    response_model=ProductResponse,
    summary="Change a product",
    responses={
        **docs.ok(docs.PRODUCT),
        **docs.err(404, "Product or category not found"),
        **docs.err(409, "SKU already exists"),
    },
)
async def update_product(
    product_id: ProductPath,
    data: Annotated[ProductUpdate, Body(openapi_examples=docs.PRODUCT_UPDATE_EXAMPLES)],
    db: DbSession,
) -> Product:
    """Partial update: fields absent from the body keep their value."""
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
    return product


@router.delete(
    "/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a product",
    responses=docs.err(404, "Product not found"),
)
async def delete_product(product_id: ProductPath, db: DbSession) -> Response:
    """Delete the product for good. The answer has no body."""
    product = await _get_product(db, product_id)
    await db.delete(product)
    await db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
