"""The products API behaves as before: reads public, writes unchanged given a valid token."""

from __future__ import annotations

import pytest

PRODUCTS_URL = "/api/v1/products"
FIELDS = ("name", "description", "price", "quantity")


def _same_fields(actual: dict, expected: dict) -> bool:
    return all(actual.get(key) == expected[key] for key in FIELDS if key in expected)


@pytest.mark.rule("api-design", "auth")
@pytest.mark.requirement("reads-keep-working", "reads-public")
def test_list_products_without_token(client, stored_product):
    response = client.get(PRODUCTS_URL)
    assert response.status_code == 200, (
        f"GET {PRODUCTS_URL} must stay public (no token); got {response.status_code}: "
        f"{response.text[:300]}"
    )
    body = response.json()
    assert isinstance(body, list), f"the list endpoint returns a JSON array: {body!r}"
    assert stored_product["id"] in {item["id"] for item in body}, (
        "a created product must appear in the list"
    )


@pytest.mark.rule("api-design", "auth")
@pytest.mark.requirement("reads-keep-working", "reads-public")
def test_get_product_without_token(client, stored_product):
    response = client.get(f"{PRODUCTS_URL}/{stored_product['id']}")
    assert response.status_code == 200, (
        f"GET {PRODUCTS_URL}/{{id}} must stay public (no token); got "
        f"{response.status_code}: {response.text[:300]}"
    )
    assert response.json() == stored_product, "GET must return the product as created"


@pytest.mark.rule("api-design", "errors")
@pytest.mark.requirement("reads-keep-working", "reads-public")
def test_get_missing_product_is_404(client):
    response = client.get(f"{PRODUCTS_URL}/987654321")
    assert response.status_code == 404, (
        f"GET of an unknown product id must stay 404 (no token needed); got "
        f"{response.status_code}: {response.text[:300]}"
    )


@pytest.mark.rule("api-design")
@pytest.mark.requirement("writes-keep-working", "writes-behave-as-before")
def test_create_product_with_token(client, auth_headers, product_payload):
    body = product_payload()
    response = client.post(PRODUCTS_URL, json=body, headers=auth_headers)
    assert response.status_code == 201, (
        f"POST {PRODUCTS_URL} with a valid token must return 201; got "
        f"{response.status_code}: {response.text[:300]}"
    )
    created = response.json()
    assert isinstance(created.get("id"), int), f"the created product has an id: {created}"
    assert _same_fields(created, body), f"the response echoes the product: {created}"


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("writes-keep-working", "writes-behave-as-before")
def test_create_invalid_product_with_token_is_422(client, auth_headers, product_payload):
    response = client.post(PRODUCTS_URL, json=product_payload(price=-1), headers=auth_headers)
    assert response.status_code == 422, (
        f"a negative price must still be a 422 with a valid token; got "
        f"{response.status_code}: {response.text[:300]}"
    )


@pytest.mark.rule("api-design")
@pytest.mark.requirement("writes-keep-working", "writes-behave-as-before")
def test_put_product_with_token(client, auth_headers, created_product, product_payload):
    url = f"{PRODUCTS_URL}/{created_product['id']}"
    body = product_payload(description=None, price=20.0, quantity=7)
    response = client.put(url, json=body, headers=auth_headers)
    assert response.status_code == 200, (
        f"PUT {url} with a valid token must return 200; got {response.status_code}: "
        f"{response.text[:300]}"
    )
    assert _same_fields(response.json(), body), f"PUT must replace the product: {response.json()}"
    stored = client.get(url, headers=auth_headers).json()
    assert _same_fields(stored, body), f"the replacement must be stored: {stored}"


@pytest.mark.rule("api-design")
@pytest.mark.requirement("writes-keep-working", "writes-behave-as-before")
def test_patch_product_with_token(client, auth_headers, created_product):
    url = f"{PRODUCTS_URL}/{created_product['id']}"
    response = client.patch(url, json={"quantity": 42}, headers=auth_headers)
    assert response.status_code == 200, (
        f"PATCH {url} with a valid token must return 200; got {response.status_code}: "
        f"{response.text[:300]}"
    )
    expected = {**created_product, "quantity": 42}
    assert response.json() == expected, (
        f"PATCH must change only the given field: {response.json()} != {expected}"
    )


@pytest.mark.rule("api-design")
@pytest.mark.requirement("writes-keep-working", "writes-behave-as-before")
def test_delete_product_with_token(client, auth_headers, created_product):
    url = f"{PRODUCTS_URL}/{created_product['id']}"
    response = client.delete(url, headers=auth_headers)
    assert response.status_code == 204, (
        f"DELETE {url} with a valid token must return 204; got {response.status_code}: "
        f"{response.text[:300]}"
    )
    gone = client.get(url, headers=auth_headers).status_code
    assert gone == 404, f"a deleted product must be gone (404); GET returned {gone}"


@pytest.mark.rule("api-design", "errors")
@pytest.mark.requirement("writes-keep-working", "writes-behave-as-before")
def test_write_missing_product_with_token_is_404(client, auth_headers, product_payload):
    url = f"{PRODUCTS_URL}/987654321"
    attempts = {
        "PUT": client.put(url, json=product_payload(), headers=auth_headers),
        "PATCH": client.patch(url, json={"quantity": 1}, headers=auth_headers),
        "DELETE": client.delete(url, headers=auth_headers),
    }
    for method, response in attempts.items():
        assert response.status_code == 404, (
            f"{method} of an unknown product with a valid token must be 404; got "
            f"{response.status_code}: {response.text[:300]}"
        )


@pytest.mark.rule("api-design")
@pytest.mark.requirement("reads-keep-working", "reads-public")
def test_list_starts_with_the_oldest_product_and_reads_back_each(client, db, stored_product):
    # The list holds the stored products from the first one on (whatever its page size),
    # and every listed product reads back the same by its id.
    (oldest,) = db.execute("SELECT MIN(id) FROM products").fetchone()
    assert oldest is not None, "the stored product must be in the products table"
    response = client.get(PRODUCTS_URL)
    assert response.status_code == 200, f"GET {PRODUCTS_URL}: {response.status_code}"
    listed = response.json()
    ids = [item["id"] for item in listed]
    assert oldest in ids, (
        f"GET {PRODUCTS_URL} must list every product, including the first one stored "
        f"(id {oldest}); got ids {ids[:20]}"
    )
    for item in listed:
        one = client.get(f"{PRODUCTS_URL}/{item['id']}")
        assert one.status_code == 200 and one.json() == item, (
            f"GET {PRODUCTS_URL}/{item['id']} must return the listed product; got "
            f"{one.status_code}: {one.text[:200]}"
        )
