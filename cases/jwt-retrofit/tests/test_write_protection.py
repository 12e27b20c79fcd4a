"""Every write on /api/v1/products needs a valid bearer token; anything else is a 401.

These tests mint their valid tokens per the contract (HS256, JWT_SECRET_KEY, sub, exp)
instead of logging in, so a broken token endpoint does not hide (or fake) their verdicts.
"""

from __future__ import annotations

import base64
import time

import pytest
from evals_runtime.probes import jwt as jwt_probe

PRODUCTS_URL = "/api/v1/products"


@pytest.fixture
def stored_names(client, minted_headers):
    """Names of the stored products (read with a valid token, so it works either way)."""

    def names() -> set[str]:
        response = client.get(PRODUCTS_URL, headers=minted_headers)
        assert response.status_code == 200, f"GET {PRODUCTS_URL}: {response.status_code}"
        return {item["name"] for item in response.json()}

    return names


@pytest.fixture
def create_with(client, product_payload):
    """POST a new product with a bearer ``token``; return the response and its name."""

    def attempt(token: str):
        body = product_payload()
        response = client.post(PRODUCTS_URL, json=body, headers=jwt_probe.bearer(token))
        return response, body["name"]

    return attempt


@pytest.fixture
def existing(stored_product):
    """A stored product: its URL and its state as created."""
    return f"{PRODUCTS_URL}/{stored_product['id']}", stored_product


@pytest.mark.rule("auth")
@pytest.mark.requirement("writes-require-bearer", "no-header-401", "refused-401-challenge")
def test_create_without_token_is_401(client, product_payload, stored_names):
    body = product_payload()
    response = client.post(PRODUCTS_URL, json=body)
    jwt_probe.assert_rejected(response, f"POST {PRODUCTS_URL} without a token")
    assert body["name"] not in stored_names(), "a refused POST must not create the product"


@pytest.mark.rule("auth")
@pytest.mark.requirement("writes-require-bearer", "no-header-401", "refused-401-challenge")
def test_put_without_token_is_401(client, existing, product_payload, minted_headers):
    url, product = existing
    response = client.put(url, json=product_payload(price=99.0))
    jwt_probe.assert_rejected(response, f"PUT {url} without a token")
    current = client.get(url, headers=minted_headers).json()
    assert current == product, f"a refused PUT must change nothing: {current} != {product}"


@pytest.mark.rule("auth")
@pytest.mark.requirement("writes-require-bearer", "no-header-401", "refused-401-challenge")
def test_patch_without_token_is_401(client, existing, minted_headers):
    url, product = existing
    response = client.patch(url, json={"quantity": 999})
    jwt_probe.assert_rejected(response, f"PATCH {url} without a token")
    current = client.get(url, headers=minted_headers).json()
    assert current == product, f"a refused PATCH must change nothing: {current} != {product}"


@pytest.mark.rule("auth")
@pytest.mark.requirement("writes-require-bearer", "no-header-401", "refused-401-challenge")
def test_delete_without_token_is_401(client, existing, minted_headers):
    url, _ = existing
    response = client.delete(url)
    jwt_probe.assert_rejected(response, f"DELETE {url} without a token")
    still_there = client.get(url, headers=minted_headers).status_code
    assert still_there == 200, "a refused DELETE must not delete the product"


@pytest.mark.rule("auth")
@pytest.mark.requirement("no-header-401")
def test_non_bearer_scheme_is_401(
    client, product_payload, stored_names, jwt_secret, admin_credentials
):
    token = jwt_probe.valid_token(jwt_secret, admin_credentials[0])
    basic = base64.b64encode(":".join(admin_credentials).encode()).decode()
    headers = {
        "Basic with the admin's credentials": f"Basic {basic}",
        "a valid token under the scheme 'Token'": f"Token {token}",
        "a valid token with no scheme": token,
    }
    for label, header in headers.items():
        body = product_payload()
        response = client.post(PRODUCTS_URL, json=body, headers={"Authorization": header})
        jwt_probe.assert_rejected(response, f"POST {PRODUCTS_URL} with Authorization: {label}")
        assert body["name"] not in stored_names(), f"{label} created a product"


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("malformed-401", "refused-401-challenge")
def test_malformed_token_is_401(create_with, stored_names):
    for label, token in jwt_probe.malformed_tokens().items():
        response, name = create_with(token)
        jwt_probe.assert_rejected(response, f"a bearer token that is not a JWT ({label})")
        assert name not in stored_names(), f"a malformed token ({label}) created a product"


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("bad-signature-401")
def test_token_signed_with_other_key_is_401(create_with, stored_names, admin_credentials):
    response, name = create_with(jwt_probe.wrong_key_token(admin_credentials[0]))
    jwt_probe.assert_rejected(response, "a token signed with a key other than JWT_SECRET_KEY")
    assert name not in stored_names(), "a token signed with another key created a product"


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("bad-signature-401")
def test_tampered_token_is_401(create_with, stored_names, jwt_secret, admin_credentials):
    valid = jwt_probe.valid_token(jwt_secret, admin_credentials[0])
    token = jwt_probe.tampered_token(valid, exp=int(time.time()) + 7 * 24 * 3600)
    response, name = create_with(token)
    jwt_probe.assert_rejected(response, "a token whose payload was edited after signing")
    assert name not in stored_names(), "a tampered token created a product"


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("expired-401")
def test_expired_token_is_401(create_with, stored_names, jwt_secret, admin_credentials):
    response, name = create_with(jwt_probe.expired_token(jwt_secret, admin_credentials[0]))
    jwt_probe.assert_rejected(response, "a correctly signed token whose exp is an hour past")
    assert name not in stored_names(), "an expired token created a product"


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("other-algorithm-401")
def test_alg_none_token_is_401(create_with, stored_names, admin_credentials):
    token = jwt_probe.alg_none_token(jwt_probe.claims_for(admin_credentials[0]))
    response, name = create_with(token)
    jwt_probe.assert_rejected(response, 'an unsigned token with header {"alg": "none"}')
    assert name not in stored_names(), "an alg:none token created a product"


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("sub-401")
def test_token_for_unknown_user_is_401(create_with, stored_names, jwt_secret):
    response, name = create_with(jwt_probe.valid_token(jwt_secret, "ghost-never-seeded"))
    jwt_probe.assert_rejected(response, "a valid token whose sub is not an existing user")
    assert name not in stored_names(), "a token for a non-existent user created a product"


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("sub-401")
def test_token_without_sub_is_401(create_with, stored_names, jwt_secret):
    claims = jwt_probe.claims_for("unused")
    del claims["sub"]
    response, name = create_with(jwt_probe.token_signed_with(jwt_secret, claims))
    jwt_probe.assert_rejected(response, "a correctly signed token without a sub claim")
    assert name not in stored_names(), "a token without sub created a product"


@pytest.mark.rule("auth")
@pytest.mark.requirement("accept-any-minted-token")
def test_token_minted_with_the_secret_is_accepted(
    create_with, stored_names, jwt_secret, admin_credentials
):
    # Control for the forgeries above: the same kind of token, minus the defect, must work.
    response, name = create_with(jwt_probe.valid_token(jwt_secret, admin_credentials[0]))
    assert response.status_code == 201, (
        "an unexpired HS256 token signed with JWT_SECRET_KEY whose sub is an existing user "
        f"must be accepted; got {response.status_code}: {response.text[:300]}"
    )
    assert name in stored_names(), "the accepted POST must store the product"
