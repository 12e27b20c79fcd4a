from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status

from app.api.v1.dependencies import ITEM_NOT_FOUND, DbSession, ItemOr404
from app.schemas.item import ItemCreate, ItemResponse, ItemUpdate
from app.services import items as item_service
from app.services import users as user_service

router = APIRouter(prefix="/items", tags=["items"])

_ITEM_404 = {status.HTTP_404_NOT_FOUND: {"description": ITEM_NOT_FOUND}}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create an item",
    responses={status.HTTP_404_NOT_FOUND: {"description": "Owner not found"}},
)
async def create_item(data: ItemCreate, db: DbSession) -> ItemResponse:
    """Create an item owned by an existing user."""
    if await user_service.get(db, data.owner_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Owner not found")
    return ItemResponse.model_validate(await item_service.create(db, data))


@router.get("", summary="List items")
async def list_items(
    db: DbSession,
    owner_id: Annotated[
        int | None, Query(description="Only this owner's items")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ItemResponse]:
    """Items ordered by id, optionally filtered by owner."""
    rows = await item_service.page(db, owner_id=owner_id, limit=limit, offset=offset)
    return [ItemResponse.model_validate(i) for i in rows]


# item_id reaches the handlers through the ItemOr404 dependency, hence the FAST003 noqa.
@router.get("/{item_id}", summary="Get an item", responses=_ITEM_404)  # noqa: FAST003
async def get_item(item: ItemOr404) -> ItemResponse:
    return ItemResponse.model_validate(item)


@router.patch("/{item_id}", summary="Update an item", responses=_ITEM_404)  # noqa: FAST003
async def update_item(item: ItemOr404, data: ItemUpdate, db: DbSession) -> ItemResponse:
    """Partial update: only the fields sent are changed."""
    changes = data.model_dump(exclude_unset=True)
    return ItemResponse.model_validate(await item_service.update(db, item, changes))


@router.delete(
    "/{item_id}",  # noqa: FAST003
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an item",
    responses=_ITEM_404,
)
async def delete_item(item: ItemOr404, db: DbSession) -> Response:
    await item_service.delete(db, item)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
