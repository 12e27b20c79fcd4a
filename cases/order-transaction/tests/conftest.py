"""Harness-owned helpers for the order-transaction suite (fixtures, so no imports needed)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def make_product(client: Any) -> Callable[..., dict[str, Any]]:
    """Create a product through POST /api/v1/products and return it."""

    def make(price_cents: int = 1000, stock: int = 10) -> dict[str, Any]:
        payload = {
            "name": f"product-{uuid.uuid4().hex[:8]}",
            "price_cents": price_cents,
            "stock": stock,
        }
        response = client.post("/api/v1/products", json=payload)
        assert response.status_code == 201, (
            "the existing POST /api/v1/products must keep answering 201, "
            f"got {response.status_code}: {response.text[:300]}"
        )
        return response.json()

    return make


@pytest.fixture
def api_stock(client: Any) -> Callable[[int], int]:
    """A product's stock as GET /api/v1/products/{id} reports it."""

    def read(product_id: int) -> int:
        response = client.get(f"/api/v1/products/{product_id}")
        assert response.status_code == 200, (
            f"GET /api/v1/products/{product_id} must answer 200, "
            f"got {response.status_code}: {response.text[:300]}"
        )
        return response.json()["stock"]

    return read


@pytest.fixture
def db_stock(db: sqlite3.Connection) -> Callable[[int], int]:
    """A product's stock as stored in the ``products`` table."""

    def read(product_id: int) -> int:
        row = db.execute("SELECT stock FROM products WHERE id = ?", (product_id,)).fetchone()
        assert row is not None, f"product {product_id} is missing from the products table"
        return row[0]

    return read


@pytest.fixture
def row_counts(db: sqlite3.Connection) -> Callable[[], dict[str, int]]:
    """Row counts of the ``orders`` and ``order_items`` tables."""

    def count() -> dict[str, int]:
        return {
            table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("orders", "order_items")
        }

    return count


@pytest.fixture
def place_order(client: Any) -> Callable[..., Any]:
    """POST /api/v1/orders with ``(product_id, quantity)`` lines; returns the response."""

    def place(*lines: tuple[int, Any], extra: dict[str, Any] | None = None) -> Any:
        items = [{"product_id": pid, "quantity": qty, **(extra or {})} for pid, qty in lines]
        return client.post("/api/v1/orders", json={"items": items})

    return place
