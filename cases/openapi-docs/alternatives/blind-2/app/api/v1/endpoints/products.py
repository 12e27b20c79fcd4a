from typing import Annotated

from fastapi import APIRouter, Body, Depends, HTTPException, Response, status
from sqlalchemy import select

from app.api.v1 import docs
from app.api.v1.dependencies import (
    DbSession,
    ProductIdPath,
    ProductListParams,
    product_list_params,
)
from app.models.category import Category
from app.models.product import Product
from app.schemas.product import ProductCreate, ProductResponse, ProductUpdate

router = APIRouter(prefix="/products")

NO_PRODUCT = docs.error(
    "Not found: there is no product with this `product_id`.", "Product not found"
)


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
    summary="Add a new product",
    responses={
        201: docs.success("The product was created.", docs.PRODUCT),
        404: docs.error(
            "Not found: `category_id` does not name an existing category.",
            "Category not found",
        ),
        409: docs.error(
            "Conflict: another product already has this SKU.", "SKU already exists"
        ),
    },
)
async def create_product(
    data: Annotated[
        ProductCreate,
        Body(openapi_examples=docs.body_examples("A product", docs.PRODUCT_CREATE)),
    ],
    db: DbSession,
):
    """Create a product in an existing category.

    The SKU must not be used by any other product. Returns the stored product
    with its ID and creation timestamp.
    """
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
    summary="Browse products",
    responses={200: docs.success("One page of products, in ID order.", [docs.PRODUCT])},
)
async def list_products(
    db: DbSession, params: Annotated[ProductListParams, Depends(product_list_params)]
):
    """Return products in ascending ID order.

    Filter by `category_id` and page with `limit` (default 50) and `offset`
    (default 0).
    """
    query = (
        select(Product).order_by(Product.id).limit(params.limit).offset(params.offset)
    )
    if params.category_id is not None:
        query = query.where(Product.category_id == params.category_id)
    products = (await db.scalars(query)).all()
    return [ProductResponse.model_validate(p) for p in products]


@router.get(
    "/{product_id}",
    response_model=ProductResponse,
    summary="Look up one product",
    responses={
        200: docs.success("The requested product.", docs.PRODUCT),
        404: NO_PRODUCT,
    },
)
async def get_product(product_id: ProductIdPath, db: DbSession):
    """Return the product with the given ID, or 404 when it does not exist."""
    return ProductResponse.model_validate(await _get_product(db, product_id))


@router.patch(
    "/{product_id}",
    response_model=ProductResponse,
    summary="Change some fields of a product",
    responses={
        200: docs.success("The product after the update.", docs.PRODUCT),
        404: docs.error(
            "Not found: there is no product with this `product_id`, or the new "
            "`category_id` does not name an existing category.",
            "Product not found",
        ),
        409: docs.error(
            "Conflict: another product already has the new SKU.", "SKU already exists"
        ),
    },
)
async def update_product(
    product_id: ProductIdPath,
    data: Annotated[
        ProductUpdate,
        Body(
            openapi_examples=docs.body_examples(
                "Reprice and restock", docs.PRODUCT_UPDATE
            )
        ),
    ],
    db: DbSession,
):
    """Partially update a product: only the fields sent in the body change.

    Returns the product as stored after the update.
    """
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
    response_model=None,
    summary="Remove a product",
    responses={204: {"description": "Deleted; the body is empty."}, 404: NO_PRODUCT},
)
async def delete_product(product_id: ProductIdPath, db: DbSession) -> None:
    """Delete the product with the given ID; the 204 response has no body."""
    product = await _get_product(db, product_id)
    await db.delete(product)
    await db.commit()
