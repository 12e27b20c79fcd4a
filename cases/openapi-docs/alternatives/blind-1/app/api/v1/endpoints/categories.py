from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, status
from sqlalchemy import select

from app.api.v1.dependencies import DbSession
from app.models.category import Category
from app.schemas.category import CategoryCreate, CategoryResponse
from app.schemas.error import ErrorResponse

router = APIRouter(prefix="/categories", tags=["categories"])

CategoryId = Annotated[int, Path(description="ID of the category.", examples=[1])]


@router.post(
    "",
    response_model=CategoryResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Create a category",
    description="Create a new product category. Category names are unique; "
    "the created category is returned with its generated ID.",
    responses={
        status.HTTP_409_CONFLICT: {
            "model": ErrorResponse,
            "description": "A category with this name already exists.",
            "content": {
                "application/json": {
                    "example": {"detail": "Category name already exists"}
                }
            },
        }
    },
)
async def create_category(data: CategoryCreate, db: DbSession):
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
    description="Return every category, ordered by ID. The list is not paginated.",
    responses={
        status.HTTP_200_OK: {
            "description": "All categories, ordered by ID.",
            "content": {
                "application/json": {
                    "example": [
                        {
                            "id": 1,
                            "name": "Hardware",
                            "description": "Tools, fasteners and fittings",
                        },
                        {
                            "id": 2,
                            "name": "Garden",
                            "description": "Plants, seeds and garden tools",
                        },
                    ]
                }
            },
        }
    },
)
async def list_categories(db: DbSession):
    categories = (await db.scalars(select(Category).order_by(Category.id))).all()
    return [CategoryResponse.model_validate(c).model_dump() for c in categories]


@router.get(
    "/{category_id}",
    response_model=CategoryResponse,
    summary="Get a category by ID",
    description="Return the single category identified by `category_id`.",
    responses={
        status.HTTP_404_NOT_FOUND: {
            "model": ErrorResponse,
            "description": "No category exists with this ID.",
            "content": {
                "application/json": {"example": {"detail": "Category not found"}}
            },
        }
    },
)
async def get_category(category_id: CategoryId, db: DbSession):
    category = await db.get(Category, category_id)
    if category is None:
        raise HTTPException(status_code=404, detail="Category not found")
    return category
