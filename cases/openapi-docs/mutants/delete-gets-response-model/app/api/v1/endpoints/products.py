from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from app.api.v1.dependencies import DbSession
from app.api.v1.responses import PRODUCT_NOT_FOUND, error
from app.models.category import Category
from app.models.product import Product
from app.schemas.product import ProductCreate, ProductResponse, ProductUpdate

router = APIRouter(prefix="/products", tags=["products"])

ProductId = Annotated[int, Path(description="Identifier of the product.", examples=[7])]

_SKU_CONFLICT = {409: error("Another product already uses this SKU")}


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
    description="Adds a product to an existing category. SKUs are unique.",
    responses={404: error("The category does not exist"), **_SKU_CONFLICT},
)
async def create_product(data: ProductCreate, db: DbSession) -> Product:
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
    description="Returns products ordered by id, optionally only those of one "
    "category. Paginate with `limit` and `offset`.",
)
async def list_products(
    db: DbSession,
    category_id: Annotated[
        int | None, Query(description="Only products of this category.", examples=[1])
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=100, description="Page size (1-100).", examples=[20])
    ] = 50,
    offset: Annotated[
        int, Query(ge=0, description="Number of products to skip.", examples=[0])
    ] = 0,
) -> list[Product]:
    query = select(Product).order_by(Product.id).limit(limit).offset(offset)
    if category_id is not None:
        query = query.where(Product.category_id == category_id)
    return list((await db.scalars(query)).all())


@router.get(
    "/{product_id}",
    response_model=ProductResponse,
    summary="Get a product",
    description="Returns one product by its id.",
    responses=PRODUCT_NOT_FOUND,
)
async def get_product(product_id: ProductId, db: DbSession) -> Product:
    return await _get_product(db, product_id)


@router.patch(
    "/{product_id}",
    response_model=ProductResponse,
    summary="Update a product",
    description="Changes only the fields present in the body. A new `category_id` must "
    "exist and a new `sku` must not belong to another product.",
    responses={
        404: error("No product with this id, or the new category does not exist"),
        **_SKU_CONFLICT,
    },
)
async def update_product(
    product_id: ProductId, data: ProductUpdate, db: DbSession
) -> Product:
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


class DeleteResult(BaseModel):
    """Confirmation of a deletion."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"message": "Product deleted", "id": 7}]}
    )

    message: str = Field(description="What was deleted.", examples=["Product deleted"])
    id: int = Field(description="Identifier of the deleted product.", examples=[7])


@router.delete(
    "/{product_id}",
    response_model=DeleteResult,
    summary="Delete a product",
    description="Removes the product permanently and confirms what was deleted.",
    responses=PRODUCT_NOT_FOUND,
)
async def delete_product(product_id: ProductId, db: DbSession) -> DeleteResult:
    product = await _get_product(db, product_id)
    await db.delete(product)
    await db.commit()
    return DeleteResult(message="Product deleted", id=product_id)
