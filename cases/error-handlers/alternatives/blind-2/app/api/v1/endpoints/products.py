from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import AfterValidator
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.schemas.errors import CONFLICT, NOT_FOUND, VALIDATION
from app.schemas.product import (
    ProductCreate,
    ProductResponse,
    ProductUpdate,
    StockAdjustment,
)
from app.services import inventory

router = APIRouter(prefix="/products", tags=["products"], responses={**VALIDATION})

DbSession = Annotated[AsyncSession, Depends(get_db)]
SortField = Annotated[str, AfterValidator(inventory.validate_sort)]


@router.get("", summary="List products")
async def list_products(
    db: DbSession,
    sort: Annotated[
        SortField, Query(description="Field to sort by; '-' prefix = descending")
    ] = "id",
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ProductResponse]:
    products = await inventory.list_products(db, sort=sort, limit=limit, offset=offset)
    return [ProductResponse.model_validate(p) for p in products]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a product",
    responses={**CONFLICT},
)
async def create_product(payload: ProductCreate, db: DbSession) -> ProductResponse:
    product = await inventory.create_product(db, payload)
    return ProductResponse.model_validate(product)


@router.get("/{product_id}", summary="Get a product", responses={**NOT_FOUND})
async def get_product(product_id: int, db: DbSession) -> ProductResponse:
    product = await inventory.get_product(db, product_id)
    return ProductResponse.model_validate(product)


@router.patch("/{product_id}", summary="Update a product", responses={**NOT_FOUND})
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
    summary="Delete a product",
    responses={**NOT_FOUND},
)
async def delete_product(product_id: int, db: DbSession) -> Response:
    product = await inventory.get_product(db, product_id)
    await inventory.delete_product(db, product)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{product_id}/stock-adjustments",
    summary="Add or remove stock",
    responses={**NOT_FOUND, **CONFLICT},
)
async def adjust_stock(
    product_id: int, payload: StockAdjustment, db: DbSession
) -> ProductResponse:
    product = await inventory.adjust_stock(db, product_id, payload.delta)
    return ProductResponse.model_validate(product)
