"""Harness-owned set-up for the rbac-ownership suite.

The admin account is seeded by the app from ADMIN_EMAIL / ADMIN_PASSWORD, which come from
the case's ``[env]`` table (set before the harness first imports the app).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

ADMIN_EMAIL = os.environ["ADMIN_EMAIL"]
ADMIN_PASSWORD = os.environ["ADMIN_PASSWORD"]
USER_PASSWORD = "correct-horse-9"




@dataclass(frozen=True)
class Account:
    id: int
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def _login(client: Any, email: str, password: str) -> str:
    response = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, (
        f"POST /api/v1/auth/token for {email} must answer 200, "
        f"got {response.status_code}: {response.text[:300]}"
    )
    body = response.json()
    assert isinstance(body.get("access_token"), str) and body["access_token"], (
        f"the token response must carry a non-empty 'access_token', got {body!r}"
    )
    return body["access_token"]


def _me(client: Any, token: str) -> dict[str, Any]:
    response = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, (
        f"GET /api/v1/users/me with a fresh token must answer 200, "
        f"got {response.status_code}: {response.text[:300]}"
    )
    return response.json()


# Tests reach these helpers through fixtures, not imports: the suite must not depend on the
# test directory being importable (pytest's import mode is the harness's choice).


@pytest.fixture(scope="session")
def user_password() -> str:
    return USER_PASSWORD


@pytest.fixture(scope="session")
def login(client: Any) -> Callable[[str, str], str]:
    """Log in through POST /api/v1/auth/token; returns the access token."""
    return lambda email, password: _login(client, email, password)


@pytest.fixture(scope="session")
def whoami(client: Any) -> Callable[[str], dict[str, Any]]:
    """GET /api/v1/users/me with a token; returns the body."""
    return lambda token: _me(client, token)


@pytest.fixture(scope="session")
def admin(client: Any) -> Account:
    """The admin seeded from ADMIN_EMAIL / ADMIN_PASSWORD, logged in."""
    token = _login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    return Account(id=_me(client, token)["id"], email=ADMIN_EMAIL, token=token)


@pytest.fixture
def make_user(client: Any, unique_email: Callable[..., str]) -> Callable[..., Account]:
    """Register a fresh `user` account and log it in."""

    def make(prefix: str = "user") -> Account:
        email = unique_email(prefix)
        response = client.post(
            "/api/v1/auth/register", json={"email": email, "password": USER_PASSWORD}
        )
        assert response.status_code == 201, (
            f"POST /api/v1/auth/register must answer 201, "
            f"got {response.status_code}: {response.text[:300]}"
        )
        user_id = response.json()["id"]
        return Account(id=user_id, email=email, token=_login(client, email, USER_PASSWORD))

    return make


@pytest.fixture
def make_note(client: Any) -> Callable[..., dict[str, Any]]:
    """Create a note as ``owner`` and return it."""

    def make(owner: Account, title: str = "Groceries", content: str = "eggs") -> dict:
        response = client.post(
            "/api/v1/notes",
            json={"title": title, "content": content},
            headers=owner.headers,
        )
        assert response.status_code == 201, (
            f"POST /api/v1/notes must answer 201, got {response.status_code}: {response.text[:300]}"
        )
        return response.json()

    return make
