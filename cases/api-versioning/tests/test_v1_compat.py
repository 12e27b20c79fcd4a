"""Pass-to-pass: API v1 must keep answering exactly as before the task.

"Byte-for-byte" is checked as: the same fields in the same order, compact JSON as FastAPI
renders it, the same status codes and error bodies, and ``created_at`` in the same format.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import V1, V1_FIELDS, expect

NAIVE_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$")


def _assert_v1_bytes(response, what):
    body = response.json()
    assert isinstance(body, dict) and list(body) == V1_FIELDS, (
        f"{what}: a v1 customer must keep exactly the fields {V1_FIELDS} in this order, "
        f"got {list(body) if isinstance(body, dict) else body!r:.200}"
    )
    compact = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    assert response.content == compact, (
        f"{what}: v1 must keep FastAPI's compact JSON rendering; got {response.content!r:.300}"
    )
    assert NAIVE_ISO.match(body["created_at"]), (
        f"{what}: v1 created_at must keep its format (ISO 8601 without offset), got "
        f"{body['created_at']!r}"
    )


@pytest.mark.rule("docs", "api-design")
@pytest.mark.requirement("v1-create", "v1-byte-compatible")
def test_v1_create_response_unchanged(client, unique_email):
    email = unique_email("v1create")
    response = client.post(V1, json={"name": "Ada Lovelace", "email": email})
    body = expect(response, 201, f"POST {V1}")
    _assert_v1_bytes(response, f"POST {V1}")
    assert body["name"] == "Ada Lovelace" and body["email"] == email, (
        f"v1 must store and return the name as given, got {body}"
    )


@pytest.mark.rule("docs", "api-design")
@pytest.mark.requirement("v1-get", "v1-byte-compatible")
def test_v1_get_returns_same_bytes_as_create(client, unique_email):
    created = client.post(V1, json={"name": "Alan Turing", "email": unique_email("v1get")})
    body = expect(created, 201, f"POST {V1}")
    fetched = client.get(f"{V1}/{body['id']}")
    expect(fetched, 200, f"GET {V1}/{{id}}")
    assert fetched.content == created.content, (
        f"GET {V1}/{{id}} must return exactly the bytes POST returned: "
        f"{fetched.content!r:.300} vs {created.content!r:.300}"
    )


@pytest.mark.rule("docs", "api-design")
@pytest.mark.requirement("v1-list", "v1-byte-compatible")
def test_v1_list_is_still_a_bare_list(client, create_v1):
    created = [create_v1(f"Listed{i} Person") for i in range(3)]
    response = client.get(V1)
    listing = expect(response, 200, f"GET {V1}")
    assert isinstance(listing, list), (
        f"GET {V1} must still return a bare JSON array (no envelope), got "
        f"{type(listing).__name__}: {response.text[:200]}"
    )
    by_id = {item["id"]: item for item in listing}
    for customer in created:
        assert by_id.get(customer["id"]) == customer, (
            f"GET {V1} must list every customer, unchanged; missing or different: {customer}"
        )
    ids = [item["id"] for item in listing]
    assert ids == sorted(ids), "GET /api/v1/customers must stay ordered by id"
    for item in listing[-3:]:
        assert list(item) == V1_FIELDS, f"v1 list items must keep fields {V1_FIELDS}: {item}"


@pytest.mark.rule("errors")
@pytest.mark.requirement("v1-create", "v1-get", "v1-byte-compatible")
def test_v1_errors_unchanged(client, create_v1):
    missing = client.get(f"{V1}/987654321")
    assert missing.status_code == 404 and missing.json() == {"detail": "Customer not found"}, (
        f"unknown v1 customer: expected 404 {{'detail': 'Customer not found'}}, got "
        f"{missing.status_code} {missing.text[:200]}"
    )
    existing = create_v1("Taken Name")
    duplicate = client.post(V1, json={"name": "Other", "email": existing["email"]})
    assert duplicate.status_code == 409 and duplicate.json() == {
        "detail": "A customer with this email already exists"
    }, f"duplicate v1 e-mail: expected the same 409 as before, got {duplicate.text[:200]}"
    for bad in (
        {"name": "", "email": "x@example.com"},
        {"name": "x" * 101, "email": "x@example.com"},
        {"name": "No Email"},
        {"name": "Bad Email", "email": "not-an-address"},
        {"email": "x@example.com"},
    ):
        response = client.post(V1, json=bad)
        assert response.status_code == 422, (
            f"invalid v1 body {bad} must still return 422, got {response.status_code}"
        )


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("v1-create", "v1-byte-compatible")
def test_v1_name_length_boundaries(client, unique_email):
    for name in ("x" * 100, "y"):
        response = client.post(V1, json={"name": name, "email": unique_email("v1len")})
        body = expect(response, 201, f"POST {V1} with a {len(name)}-character name")
        assert body["name"] == name, f"v1 must return the name as given, got {body['name']!r}"
        _assert_v1_bytes(response, f"POST {V1}")
