from fastapi import APIRouter, HTTPException, status

from app.schemas.item import ItemCreate, ItemResponse
from app.services.item_store import store

router = APIRouter(prefix="/items", tags=["items"])


@router.get("", summary="List items")
async def list_items() -> list[ItemResponse]:
    return store.all()


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create an item")
async def create_item(item: ItemCreate) -> ItemResponse:
    return store.add(item)


@router.get(
    "/{item_id}",
    summary="Get an item",
    responses={404: {"description": "Item not found"}},
)
async def get_item(item_id: int) -> ItemResponse:
    item = store.get(item_id)
    if item is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="Item not found"
        )
    return item
