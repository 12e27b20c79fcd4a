"""Harness-owned helpers for the api-versioning suite.

Tests share one database, so each test creates its own customers with unique e-mails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

V1 = "/api/v1/customers"
V2 = "/api/v2/customers"
V1_FIELDS = ["id", "name", "email", "created_at"]
V2_FIELDS = {"id", "first_name", "last_name", "email", "created_at"}


def expect(response: Any, status: int, what: str) -> Any:
    assert response.status_code == status, (
        f"{what}: expected {status}, got {response.status_code}: {response.text[:300]}"
    )
    return response.json()


@pytest.fixture
def create_v1(client: Any, unique_email: Callable[..., str]) -> Callable[..., dict]:
    """POST a customer through v1; returns the 201 body."""

    def create(name: str, email: str | None = None) -> dict:
        body = {"name": name, "email": email or unique_email("v1")}
        return expect(client.post(V1, json=body), 201, f"POST {V1} {body}")

    return create


@pytest.fixture
def create_v2(client: Any, unique_email: Callable[..., str]) -> Callable[..., dict]:
    """POST a customer through v2; returns the 201 body."""

    def create(first_name: str, last_name: str, email: str | None = None) -> dict:
        body = {
            "first_name": first_name,
            "last_name": last_name,
            "email": email or unique_email("v2"),
        }
        return expect(client.post(V2, json=body), 201, f"POST {V2} {body}")

    return create


@pytest.fixture(scope="session")
def openapi(client: Any) -> dict:
    return expect(client.get("/openapi.json"), 200, "GET /openapi.json")


def resolve(spec: dict, schema: dict) -> dict:
    """Follow a local ``$ref`` (once per level) in an OpenAPI schema."""
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def response_schema(spec: dict, path: str, method: str, status: str) -> dict:
    operation = spec["paths"][path][method]
    content = operation["responses"][status]["content"]["application/json"]
    return resolve(spec, content["schema"])
