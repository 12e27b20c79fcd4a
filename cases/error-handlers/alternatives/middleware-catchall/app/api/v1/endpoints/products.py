from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.models.product import Product
from app.schemas.errors import ErrorEnvelope
from app.schemas.product import (
    ProductCreate,
    ProductResponse,
    ProductUpdate,
    StockAdjustment,
)
from app.services import inventory

router = APIRouter(prefix="/products", tags=["products"])

DbSession = Annotated[AsyncSession, Depends(get_db)]
SortField = Literal[
    "id", "-id", "sku", "-sku", "name", "-name",
    "price_cents", "-price_cents", "stock", "-stock",
]  # fmt: skip


async def product_or_404(product_id: int, db: DbSession) -> Product:
    return await inventory.get_product(db, product_id)


ExistingProduct = Annotated[Product, Depends(product_or_404)]
E404 = {404: {"model": ErrorEnvelope, "description": "Unknown product"}}
E409 = {409: {"model": ErrorEnvelope, "description": "Conflict"}}


@router.get("", summary="List products")
async def list_products(
    db: DbSession,
    sort: SortField = "id",
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ProductResponse]:
    products = await inventory.list_products(db, sort=sort, limit=limit, offset=offset)
    return [ProductResponse.model_validate(p) for p in products]


@router.post("", status_code=201, responses=E409, summary="Create a product")
async def create_product(payload: ProductCreate, db: DbSession) -> ProductResponse:
    return ProductResponse.model_validate(await inventory.create_product(db, payload))


@router.get("/{product_id}", responses=E404, summary="Get a product")
async def get_product(product_id: int, product: ExistingProduct) -> ProductResponse:
    return ProductResponse.model_validate(product)


@router.patch("/{product_id}", responses=E404, summary="Update a product")
async def update_product(
    product_id: int, payload: ProductUpdate, product: ExistingProduct, db: DbSession
) -> ProductResponse:
    changes = payload.model_dump(exclude_unset=True)
    return ProductResponse.model_validate(
        await inventory.update_product(db, product, changes)
    )


@router.delete(
    "/{product_id}",
    status_code=204,
    response_class=Response,
    responses=E404,
    summary="Delete a product",
)
async def delete_product(
    product_id: int, product: ExistingProduct, db: DbSession
) -> Response:
    await inventory.delete_product(db, product)
    return Response(status_code=204)


@router.post(
    "/{product_id}/stock-adjustments",
    responses={**E404, **E409},
    summary="Add or remove stock",
)
async def adjust_stock(
    product_id: int, payload: StockAdjustment, product: ExistingProduct, db: DbSession
) -> ProductResponse:
    return ProductResponse.model_validate(
        await inventory.adjust_stock(db, product, payload.delta)
    )
