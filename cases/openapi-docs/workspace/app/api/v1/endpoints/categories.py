from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select

from app.api.v1.dependencies import DbSession
from app.models.category import Category
from app.schemas.category import CategoryCreate, CategoryResponse

router = APIRouter(prefix="/categories")


@router.post("", response_model=CategoryResponse, status_code=status.HTTP_201_CREATED)
async def create_category(data: CategoryCreate, db: DbSession):
    exists = await db.scalar(select(Category.id).where(Category.name == data.name))
    if exists is not None:
        raise HTTPException(status_code=409, detail="Category name already exists")
    category = Category(**data.model_dump())
    db.add(category)
    await db.commit()
    await db.refresh(category)
    return category


@router.get("")
async def list_categories(db: DbSession):
    categories = (await db.scalars(select(Category).order_by(Category.id))).all()
    return [CategoryResponse.model_validate(c).model_dump() for c in categories]


@router.get("/{category_id}", response_model=CategoryResponse)
async def get_category(category_id: int, db: DbSession):
    category = await db.get(Category, category_id)
    if category is None:
        raise HTTPException(status_code=404, detail="Category not found")
    return category
