from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.schemas.error import ErrorResponse
from app.schemas.product import (
    ProductCreate,
    ProductResponse,
    ProductUpdate,
    StockAdjustment,
)
from app.services import inventory

router = APIRouter(prefix="/products", tags=["products"])

DbSession = Annotated[AsyncSession, Depends(get_db)]


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description}


NOT_FOUND = {404: _error("No product with this id")}
INVALID = {422: _error("Invalid request")}


@router.get("", responses=INVALID, summary="List products")
async def list_products(
    db: DbSession,
    sort: Annotated[
        str, Query(description="Field to sort by; '-' prefix = descending")
    ] = "id",
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ProductResponse]:
    products = await inventory.list_products(db, sort=sort, limit=limit, offset=offset)
    return [ProductResponse.model_validate(p) for p in products]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={409: _error("A product with this SKU already exists"), **INVALID},
    summary="Create a product",
)
async def create_product(payload: ProductCreate, db: DbSession) -> ProductResponse:
    product = await inventory.create_product(db, payload)
    return ProductResponse.model_validate(product)


@router.get("/{product_id}", responses=NOT_FOUND, summary="Get a product")
async def get_product(product_id: int, db: DbSession) -> ProductResponse:
    product = await inventory.get_product(db, product_id)
    return ProductResponse.model_validate(product)


@router.patch(
    "/{product_id}", responses={**NOT_FOUND, **INVALID}, summary="Update a product"
)
async def update_product(
    product_id: int, payload: ProductUpdate, db: DbSession
) -> ProductResponse:
    product = await inventory.get_product(db, product_id)
    product = await inventory.update_product(
        db, product, payload.model_dump(exclude_unset=True)
    )
    return ProductResponse.model_validate(product)


@router.delete(
    "/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=NOT_FOUND,
    summary="Delete a product",
)
async def delete_product(product_id: int, db: DbSession) -> Response:
    product = await inventory.get_product(db, product_id)
    await inventory.delete_product(db, product)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{product_id}/stock-adjustments",
    responses={
        **NOT_FOUND,
        409: _error("The adjustment would make the stock negative"),
        **INVALID,
    },
    summary="Add or remove stock",
)
async def adjust_stock(
    product_id: int, payload: StockAdjustment, db: DbSession
) -> ProductResponse:
    product = await inventory.adjust_stock(db, product_id, payload.delta)
    return ProductResponse.model_validate(product)
