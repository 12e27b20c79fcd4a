from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path, status
from sqlalchemy import select

from app.api.v1 import docs
from app.api.v1.dependencies import DbSession
from app.models.category import Category
from app.schemas.category import CategoryCreate, CategoryResponse

router = APIRouter(prefix="/categories", tags=["categories"])


@router.post(
    "",
    response_model=CategoryResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Create a category",
    responses={
        **docs.ok(docs.CATEGORY, 201),
        **docs.err(409, "Category name already exists"),
    },
)
async def create_category(
    data: Annotated[
        CategoryCreate, Body(openapi_examples=docs.CATEGORY_CREATE_EXAMPLES)
    ],
    db: DbSession,
) -> Category:
    """Create a category. The name must not be used by another category."""
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
    summary="List all categories",
    responses=docs.ok([docs.CATEGORY]),
)
async def list_categories(db: DbSession) -> list[Category]:
    """All categories, in creation (id) order. The list is not paginated."""
    return list((await db.scalars(select(Category).order_by(Category.id))).all())


@router.get(
    "/{category_id}",
    response_model=CategoryResponse,
    summary="Fetch one category",
    responses={**docs.ok(docs.CATEGORY), **docs.err(404, "Category not found")},
)
async def get_category(
    category_id: Annotated[int, Path(description="The category's id.")],
    db: DbSession,
) -> Category:
    """Look a category up by id."""
    category = await db.get(Category, category_id)
    if category is None:
        raise HTTPException(status_code=404, detail="Category not found")
    return category
