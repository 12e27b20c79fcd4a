from collections.abc import Sequence

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select

from app.api.v1.dependencies import DbSession
from app.models.product import Product
from app.schemas.product import ProductCreate, ProductResponse

router = APIRouter(prefix="/products", tags=["products"])


@router.post(
    "",
    response_model=ProductResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Create a product",
)
def create_product(product_in: ProductCreate, db: DbSession) -> Product:
    product = Product(**product_in.model_dump())
    db.add(product)
    db.commit()
    return product


@router.get("", response_model=list[ProductResponse], summary="List products")
def list_products(db: DbSession) -> Sequence[Product]:
    return db.scalars(select(Product).order_by(Product.id)).all()


@router.get(
    "/{product_id}",
    response_model=ProductResponse,
    summary="Get a product",
    responses={404: {"description": "Product not found"}},
)
def get_product(product_id: int, db: DbSession) -> Product:
    product = db.get(Product, product_id)
    if product is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Product not found")
    return product
