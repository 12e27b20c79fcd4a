from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.v1.dependencies import DbSession
from app.models.item import Item
from app.models.user import User
from app.schemas.item import ItemCreate, ItemResponse, ItemUpdate

ITEM_NOT_FOUND = "Item not found"
OWNER_NOT_FOUND = "Owner not found"

router = APIRouter(prefix="/items")


async def _get_item_or_404(db: AsyncSession, item_id: int) -> Item:
    item = await db.get(Item, item_id)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=ITEM_NOT_FOUND)
    return item


@router.post(
    "",
    tags=["items"],
    status_code=status.HTTP_201_CREATED,
    summary="Create an item",
    responses={status.HTTP_404_NOT_FOUND: {"description": OWNER_NOT_FOUND}},
)
async def create_item(data: ItemCreate, db: DbSession) -> ItemResponse:
    """Create an item owned by an existing user."""
    if await db.get(User, data.owner_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=OWNER_NOT_FOUND)
    item = Item(**data.model_dump())
    db.add(item)
    await db.commit()
    await db.refresh(item)
    return ItemResponse.model_validate(item)


@router.get("", tags=["items"], summary="List items")
async def list_items(
    db: DbSession,
    owner_id: Annotated[
        int | None, Query(description="Only this owner's items")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ItemResponse]:
    """Items ordered by id, optionally filtered by owner."""
    query = select(Item).order_by(Item.id).limit(limit).offset(offset)
    if owner_id is not None:
        query = query.where(Item.owner_id == owner_id)
    rows: Sequence[Item] = (await db.scalars(query)).all()
    return [ItemResponse.model_validate(i) for i in rows]


@router.get(
    "/{item_id}",
    tags=["items"],
    summary="Get an item",
    responses={status.HTTP_404_NOT_FOUND: {"description": ITEM_NOT_FOUND}},
)
async def get_item(item_id: int, db: DbSession) -> ItemResponse:
    return ItemResponse.model_validate(await _get_item_or_404(db, item_id))


@router.patch(
    "/{item_id}",
    tags=["items"],
    summary="Update an item",
    responses={status.HTTP_404_NOT_FOUND: {"description": ITEM_NOT_FOUND}},
)
async def update_item(item_id: int, data: ItemUpdate, db: DbSession) -> ItemResponse:
    """Partial update: only the fields sent are changed."""
    item = await _get_item_or_404(db, item_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(item, field, value)
    await db.commit()
    await db.refresh(item)
    return ItemResponse.model_validate(item)


@router.delete(
    "/{item_id}",
    tags=["items"],
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an item",
    responses={status.HTTP_404_NOT_FOUND: {"description": ITEM_NOT_FOUND}},
)
async def delete_item(item_id: int, db: DbSession) -> Response:
    item = await _get_item_or_404(db, item_id)
    await db.delete(item)
    await db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
