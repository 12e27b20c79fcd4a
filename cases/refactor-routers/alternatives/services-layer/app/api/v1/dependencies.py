from typing import Annotated

from fastapi import Depends, HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.models.item import Item
from app.services import items as item_service

DbSession = Annotated[AsyncSession, Depends(get_db)]

ITEM_NOT_FOUND = "Item not found"


async def get_item_or_404(item_id: int, db: DbSession) -> Item:
    item = await item_service.get(db, item_id)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=ITEM_NOT_FOUND)
    return item


ItemOr404 = Annotated[Item, Depends(get_item_or_404)]
