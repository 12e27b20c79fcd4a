from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Response, status
from sqlalchemy import select

from app.api.v1.dependencies import DbSession
from app.models.category import Category
from app.models.product import Product
from app.schemas.error import ErrorResponse
from app.schemas.product import (
    PRODUCT_EXAMPLE,
    ProductCreate,
    ProductResponse,
    ProductUpdate,
)

router = APIRouter(prefix="/products", tags=["products"])

ProductId = Annotated[int, Path(description="ID of the product.", examples=[1])]


def _error(description: str, detail: str) -> dict[str, Any]:
    return {
        "model": ErrorResponse,
        "description": description,
        "content": {"application/json": {"example": {"detail": detail}}},
    }


PRODUCT_NOT_FOUND = _error("No product exists with this ID.", "Product not found")


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
    summary="Create a product",
    description="Create a product in an existing category. The SKU must be unique "
    "across all products; the created product is returned with its ID and "
    "creation time.",
    responses={
        status.HTTP_404_NOT_FOUND: _error(
            "The `category_id` in the body does not refer to an existing category.",
            "Category not found",
        ),
        status.HTTP_409_CONFLICT: _error(
            "Another product already uses this SKU.", "SKU already exists"
        ),
    },
)
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


@router.get(
    "",
    response_model=list[ProductResponse],
    summary="List products with filtering and pagination",
    description="Return products ordered by ID, optionally only those of one "
    "category. Use `limit` and `offset` to page through the results.",
    responses={
        status.HTTP_200_OK: {
            "description": "The requested page of products, ordered by ID.",
            "content": {"application/json": {"example": [PRODUCT_EXAMPLE]}},
        }
    },
)
async def list_products(
    db: DbSession,
    category_id: Annotated[
        int | None,
        Query(
            description="Only return products of the category with this ID.",
            examples=[1],
        ),
    ] = None,
    limit: Annotated[
        int,
        Query(
            ge=1,
            le=100,
            description="Maximum number of products to return (1 to 100).",
            examples=[50],
        ),
    ] = 50,
    offset: Annotated[
        int,
        Query(
            ge=0,
            description="Number of products to skip before the first one returned.",
            examples=[0],
        ),
    ] = 0,
):
    query = select(Product).order_by(Product.id).limit(limit).offset(offset)
    if category_id is not None:
        query = query.where(Product.category_id == category_id)
    products = (await db.scalars(query)).all()
    return [ProductResponse.model_validate(p) for p in products]


@router.get(
    "/{product_id}",
    response_model=ProductResponse,
    summary="Get a product by ID",
    description="Return the single product identified by `product_id`.",
    responses={status.HTTP_404_NOT_FOUND: PRODUCT_NOT_FOUND},
)
async def get_product(product_id: ProductId, db: DbSession):
    return ProductResponse.model_validate(await _get_product(db, product_id))


@router.patch(
    "/{product_id}",
    response_model=ProductResponse,
    summary="Partially update a product",
    description="Change only the fields present in the body; omitted fields keep "
    "their values. A new SKU must stay unique and a new `category_id` must refer "
    "to an existing category. Returns the updated product.",
    responses={
        status.HTTP_404_NOT_FOUND: _error(
            "No product exists with this ID, or the `category_id` in the body does "
            "not refer to an existing category.",
            "Product not found",
        ),
        status.HTTP_409_CONFLICT: _error(
            "Another product already uses the new SKU.", "SKU already exists"
        ),
    },
)
async def update_product(product_id: ProductId, data: ProductUpdate, db: DbSession):
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


@router.delete(
    "/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a product",
    description="Permanently remove the product identified by `product_id`. "
    "Responds with 204 and an empty body.",
    responses={
        status.HTTP_204_NO_CONTENT: {
            "description": "The product was deleted; the response has no body."
        },
    },
)
async def delete_product(product_id: ProductId, db: DbSession):
    product = await _get_product(db, product_id)
    await db.delete(product)
    await db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
