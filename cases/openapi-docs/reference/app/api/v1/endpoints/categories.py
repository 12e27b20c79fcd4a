from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, status
from sqlalchemy import select

from app.api.v1.dependencies import DbSession
from app.api.v1.responses import CATEGORY_NOT_FOUND, error
from app.models.category import Category
from app.schemas.category import CategoryCreate, CategoryResponse

router = APIRouter(prefix="/categories", tags=["categories"])

CategoryId = Annotated[
    int, Path(description="Identifier of the category.", examples=[1])
]


@router.post(
    "",
    response_model=CategoryResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Create a category",
    description="Creates a product category. Category names are unique.",
    responses={409: error("A category with this name already exists")},
)
async def create_category(data: CategoryCreate, db: DbSession) -> Category:
    exists = await db.scalar(select(Category.id).where(Category.name == data.name))
    if exists is not None:
        raise HTTPException(status_code=409, detail="Category name already exists")
    category = Category(**data.model_dump())
    db.add(category)
    await db.commit()
    await db.refresh(category)
    return category


@router.get(
    "",
    response_model=list[CategoryResponse],
    summary="List categories",
    description="Returns every category, ordered by id.",
)
async def list_categories(db: DbSession) -> list[Category]:
    return list((await db.scalars(select(Category).order_by(Category.id))).all())


@router.get(
    "/{category_id}",
    response_model=CategoryResponse,
    summary="Get a category",
    description="Returns one category by its id.",
    responses=CATEGORY_NOT_FOUND,
)
async def get_category(category_id: CategoryId, db: DbSession) -> Category:
    category = await db.get(Category, category_id)
    if category is None:
        raise HTTPException(status_code=404, detail="Category not found")
    return category
