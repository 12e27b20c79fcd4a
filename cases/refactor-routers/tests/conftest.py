"""Harness-owned helpers for the refactor-routers suite.

Tests share one database, so each test creates its own users (unique e-mails) and items.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

USERS = "/api/v1/users"
ITEMS = "/api/v1/items"
USER_FIELDS = {"id", "email", "full_name", "is_active", "created_at"}
ITEM_FIELDS = {"id", "title", "description", "price_cents", "owner_id", "created_at"}


def expect(response: Any, status: int, what: str) -> Any:
    assert response.status_code == status, (
        f"{what}: expected {status} (as before the refactor), got {response.status_code}: "
        f"{response.text[:300]}"
    )
    return response.json() if response.content else None


@pytest.fixture
def create_user(client: Any, unique_email: Callable[..., str]) -> Callable[..., dict]:
    def create(full_name: str = "Ada Lovelace", email: str | None = None) -> dict:
        body = {"email": email or unique_email("user"), "full_name": full_name}
        return expect(client.post(USERS, json=body), 201, f"POST {USERS} {body}")

    return create


@pytest.fixture
def create_item(client: Any) -> Callable[..., dict]:
    def create(owner_id: int, title: str = "Desk lamp", **fields: Any) -> dict:
        body = {"title": title, "price_cents": 1999, "owner_id": owner_id, **fields}
        return expect(client.post(ITEMS, json=body), 201, f"POST {ITEMS} {body}")

    return create
