"""Harness-owned set-up for the jwt-retrofit suite.

The workspace seeds one account at start-up from ``ADMIN_USERNAME`` / ``ADMIN_PASSWORD``
(the prompt says so and asks to keep it). Both come from the case's ``[env]`` table.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from evals_runtime.probes import jwt as jwt_probe

ADMIN_USERNAME = os.environ["ADMIN_USERNAME"]
ADMIN_PASSWORD = os.environ["ADMIN_PASSWORD"]

API = "/api/v1"
TOKEN_URL = f"{API}/auth/token"
PRODUCTS_URL = f"{API}/products"


@pytest.fixture(scope="session")
def admin_credentials() -> tuple[str, str]:
    """Username and password of the account the app seeds at start-up."""
    return ADMIN_USERNAME, ADMIN_PASSWORD


@pytest.fixture(scope="session")
def jwt_secret() -> str:
    """The signing key the grader gave the app (``JWT_SECRET_KEY``)."""
    return os.environ["JWT_SECRET_KEY"]


@pytest.fixture(scope="session")
def login(client: Any) -> Callable[[str, str], Any]:
    """POST the OAuth2 password-grant form to the token endpoint; returns the response."""

    def post(username: str, password: str) -> Any:
        form = {"grant_type": "password", "username": username, "password": password}
        return client.post(TOKEN_URL, data=form)

    return post


@pytest.fixture(scope="session")
def access_token(login: Callable[[str, str], Any], admin_credentials: tuple[str, str]) -> str:
    """A token obtained by logging in as the seeded admin."""
    response = login(*admin_credentials)
    assert response.status_code == 200, (
        f"logging in as the seeded admin via POST {TOKEN_URL} (form fields grant_type, "
        f"username, password) must return 200; got {response.status_code}: "
        f"{response.text[:300]}"
    )
    token = response.json().get("access_token")
    assert isinstance(token, str) and token, (
        f"token response must carry access_token: {response.text[:300]}"
    )
    return token


@pytest.fixture(scope="session")
def auth_headers(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


@pytest.fixture(scope="session")
def minted_headers(jwt_secret: str) -> dict[str, str]:
    """Bearer headers with a token minted per the contract (HS256, JWT_SECRET_KEY, sub, exp).

    Used to set up and inspect state without going through the token endpoint, so tests of
    the protection do not depend on the login (and reads work even if wrongly protected).
    """
    return jwt_probe.bearer(jwt_probe.valid_token(jwt_secret, ADMIN_USERNAME))


@pytest.fixture
def product_payload() -> Callable[..., dict[str, Any]]:
    """Factory for valid product bodies with a unique name."""

    def make(**overrides: Any) -> dict[str, Any]:
        body = {
            "name": f"Product {uuid.uuid4().hex[:10]}",
            "description": "A thing we sell",
            "price": 12.5,
            "quantity": 3,
        }
        body.update(overrides)
        return body

    return make


@pytest.fixture
def created_product(
    client: Any, auth_headers: dict[str, str], product_payload: Callable[..., dict[str, Any]]
) -> dict[str, Any]:
    """A product created with a token obtained by logging in."""
    response = client.post(PRODUCTS_URL, json=product_payload(), headers=auth_headers)
    assert response.status_code == 201, (
        f"creating a product with a valid token must return 201; got "
        f"{response.status_code}: {response.text[:300]}"
    )
    return response.json()


@pytest.fixture
def stored_product(
    client: Any, minted_headers: dict[str, str], product_payload: Callable[..., dict[str, Any]]
) -> dict[str, Any]:
    """A product created with a minted token (independent of the token endpoint)."""
    response = client.post(PRODUCTS_URL, json=product_payload(), headers=minted_headers)
    assert response.status_code == 201, (
        "creating a product with a valid token (HS256, JWT_SECRET_KEY, sub=admin, exp "
        f"ahead) must return 201; got {response.status_code}: {response.text[:300]}"
    )
    return response.json()
