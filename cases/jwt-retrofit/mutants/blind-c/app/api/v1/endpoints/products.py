from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, status

from app.api.v1.dependencies import CurrentUser, DbSession
from app.models.product import Product
from app.schemas.product import (
    ProductCreate,
    ProductReplace,
    ProductResponse,
    ProductUpdate,
)
from app.services import products as product_service

router = APIRouter(prefix="/products", tags=["products"])

# Writes need a bearer token; reads stay public.
UNAUTHORIZED = {401: {"description": "Missing, invalid or expired bearer token"}}

ProductId = Annotated[int, Path(ge=1, description="Product identifier")]


async def _get_or_404(db: DbSession, product_id: int) -> Product:
    product = await product_service.get_product(db, product_id)
    if product is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="Product not found"
        )
    return product


@router.get("", response_model=list[ProductResponse], summary="List products")
async def list_products(
    db: DbSession,
    skip: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 100,
) -> list[Product]:
    return list(await product_service.list_products(db, skip=skip, limit=limit))


@router.get("/{product_id}", response_model=ProductResponse, summary="Get a product")
async def get_product(product_id: ProductId, db: DbSession) -> Product:
    return await _get_or_404(db, product_id)


@router.post(
    "",
    response_model=ProductResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Create a product",
    responses=UNAUTHORIZED,
)
async def create_product(
    data: ProductCreate, db: DbSession, _user: CurrentUser
) -> Product:
    return await product_service.create_product(db, data)


@router.put(
    "/{product_id}",
    response_model=ProductResponse,
    summary="Replace a product",
    responses=UNAUTHORIZED,
)
async def replace_product(
    product_id: ProductId, data: ProductReplace, db: DbSession, _user: CurrentUser
) -> Product:
    product = await _get_or_404(db, product_id)
    return await product_service.replace_product(db, product, data)


@router.patch(
    "/{product_id}", response_model=ProductResponse, summary="Update a product"
)
async def update_product(
    product_id: ProductId, data: ProductUpdate, db: DbSession
) -> Product:
    product = await _get_or_404(db, product_id)
    return await product_service.update_product(db, product, data)


@router.delete(
    "/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a product",
    responses=UNAUTHORIZED,
)
async def delete_product(
    product_id: ProductId, db: DbSession, _user: CurrentUser
) -> None:
    product = await _get_or_404(db, product_id)
    await product_service.delete_product(db, product)
