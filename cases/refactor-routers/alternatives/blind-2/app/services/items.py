"""Data access for items."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.item import Item
from app.schemas.item import ItemCreate


async def get_item(db: AsyncSession, item_id: int) -> Item | None:
    return await db.get(Item, item_id)


async def create_item(db: AsyncSession, data: ItemCreate) -> Item:
    item = Item(**data.model_dump())
    db.add(item)
    await db.commit()
    await db.refresh(item)
    return item


async def list_items(
    db: AsyncSession, owner_id: int | None, limit: int, offset: int
) -> Sequence[Item]:
    query = select(Item).order_by(Item.id).limit(limit).offset(offset)
    if owner_id is not None:
        query = query.where(Item.owner_id == owner_id)
    return (await db.scalars(query)).all()


async def update_item(db: AsyncSession, item: Item, changes: dict[str, Any]) -> Item:
    for field, value in changes.items():
        setattr(item, field, value)
    await db.commit()
    await db.refresh(item)
    return item


async def delete_item(db: AsyncSession, item: Item) -> None:
    await db.delete(item)
    await db.commit()
