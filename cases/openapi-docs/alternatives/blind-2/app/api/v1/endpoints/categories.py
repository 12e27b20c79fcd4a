from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, status
from sqlalchemy import select

from app.api.v1 import docs
from app.api.v1.dependencies import CategoryIdPath, DbSession
from app.models.category import Category
from app.schemas.category import CategoryCreate, CategoryResponse

router = APIRouter(prefix="/categories")


@router.post(
    "",
    response_model=CategoryResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Add a new category",
    responses={
        201: docs.success("The category was created.", docs.CATEGORY),
        409: docs.error(
            "Conflict: a category with the same name already exists.",
            "Category name already exists",
        ),
    },
)
async def create_category(
    data: Annotated[
        CategoryCreate,
        Body(openapi_examples=docs.body_examples("A category", docs.CATEGORY_CREATE)),
    ],
    db: DbSession,
):
    """Create a category with a unique name and an optional description.

    Returns the stored category including its server-assigned ID.
    """
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
    summary="Fetch every category",
    responses={200: docs.success("Every category, in ID order.", [docs.CATEGORY])},
)
async def list_categories(db: DbSession):
    """Return all categories in ascending ID order (no pagination)."""
    categories = (await db.scalars(select(Category).order_by(Category.id))).all()
    return [CategoryResponse.model_validate(c).model_dump() for c in categories]


@router.get(
    "/{category_id}",
    response_model=CategoryResponse,
    summary="Look up one category",
    responses={
        200: docs.success("The requested category.", docs.CATEGORY),
        404: docs.error(
            "Not found: there is no category with this `category_id`.",
            "Category not found",
        ),
    },
)
async def get_category(category_id: CategoryIdPath, db: DbSession):
    """Return the category with the given ID, or 404 when it does not exist."""
    category = await db.get(Category, category_id)
    if category is None:
        raise HTTPException(status_code=404, detail="Category not found")
    return category
