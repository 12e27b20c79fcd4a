"""Shared helpers for the user-registration suite (harness-owned, hidden from the agent)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

USERS = "/api/v1/users"
PUBLIC_FIELDS = {"id", "email", "created_at"}


@pytest.fixture
def unique_password() -> Callable[[], str]:
    """Factory of policy-compliant passwords no other test uses (letters and digits)."""

    def make() -> str:
        return f"Pw-{uuid.uuid4().hex[:12]}-7q"

    return make


@pytest.fixture
def register(client: Any) -> Callable[..., Any]:
    """POST a registration; returns the raw response."""

    def post(email: str, password: str, *, follow_redirects: bool = True) -> Any:
        return client.post(
            USERS,
            json={"email": email, "password": password},
            follow_redirects=follow_redirects,
        )

    return post


@pytest.fixture
def create_user(register: Callable[..., Any]) -> Callable[[str, str], dict[str, Any]]:
    """Register a user as test setup and return the response body.

    Accepts any 2xx so that a wrong success code fails only the test that checks it.
    """

    def make(email: str, password: str) -> dict[str, Any]:
        response = register(email, password)
        assert 200 <= response.status_code < 300, (
            f"setup: registering a valid user ({email}) failed with "
            f"{response.status_code}: {response.text[:300]}"
        )
        body = response.json()
        assert isinstance(body, dict) and "id" in body, (
            f"setup: the registration response has no 'id': {response.text[:300]}"
        )
        return body

    return make


@pytest.fixture
def count_user_rows(db: Any) -> Callable[[str], int]:
    """How many rows of the users table hold the given e-mail (case-insensitively).

    The users table is the one whose row for the e-mail holds the password hash; 0 when no
    table holds the address at all.
    """
    from evals_runtime.probes.passwords import find_rows_containing, find_user_row

    def count(email: str) -> int:
        rows = find_rows_containing(db, email)
        if not rows:
            return 0
        table = find_user_row(db, email).table
        return len({tuple(row.items()) for t, _, row in rows if t == table})

    return count
