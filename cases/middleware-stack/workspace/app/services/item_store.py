"""A small in-memory item store (the catalog is loaded from a feed in production)."""

from itertools import count
from threading import Lock

from app.schemas.item import ItemCreate, ItemResponse


class ItemStore:
    def __init__(self) -> None:
        self._items: dict[int, ItemResponse] = {}
        self._ids = count(1)
        self._lock = Lock()

    def add(self, item: ItemCreate) -> ItemResponse:
        with self._lock:
            stored = ItemResponse(id=next(self._ids), **item.model_dump())
            self._items[stored.id] = stored
        return stored

    def get(self, item_id: int) -> ItemResponse | None:
        return self._items.get(item_id)

    def all(self) -> list[ItemResponse]:
        return list(self._items.values())


store = ItemStore()
