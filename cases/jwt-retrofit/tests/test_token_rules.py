"""The token rules on every write method: which tokens count, and which never do.

Valid tokens are minted per the contract (HS256, JWT_SECRET_KEY, sub, exp), so these tests
do not depend on the token endpoint.
"""

from __future__ import annotations

import base64
import time

import pytest
from evals_runtime.probes import jwt as jwt_probe

PRODUCTS_URL = "/api/v1/products"


@pytest.fixture
def writes(client, minted_headers, product_payload):
    """Factory: a fresh stored product and the four write requests to try against it."""

    def make() -> tuple[str, dict, list[tuple[str, str, dict | None]]]:
        created = client.post(PRODUCTS_URL, json=product_payload(), headers=minted_headers)
        assert created.status_code == 201, (
            f"precondition: creating a product with a minted token, got {created.status_code}"
        )
        product = created.json()
        url = f"{PRODUCTS_URL}/{product['id']}"
        requests = [
            ("POST", PRODUCTS_URL, product_payload()),
            ("PUT", url, product_payload(price=77.0)),
            ("PATCH", url, {"quantity": 555}),
            ("DELETE", url, None),
        ]
        return url, product, requests

    return make


def _names(client, headers) -> set[str]:
    return {item["name"] for item in client.get(PRODUCTS_URL, headers=headers).json()}


def _assert_all_refused(client, writes, minted_headers, tokens: dict[str, str]) -> None:
    findings = []
    for label, authorization in tokens.items():
        url, product, requests = writes()
        for method, target, body in requests:
            response = client.request(
                method, target, json=body, headers={"Authorization": authorization}
            )
            problem = jwt_probe.rejection_problem(response)
            if problem is not None:
                findings.append(f"{method} {target} with {label}: {problem}")
        current = client.get(url, headers=minted_headers)
        if current.status_code != 200 or current.json() != product:
            findings.append(f"{label}: refused writes changed {url}: {current.text[:200]}")
        if requests[0][2]["name"] in _names(client, minted_headers):
            findings.append(f"{label}: a refused POST created a product")
    assert not findings, "every write needs a valid token:\n" + "\n".join(findings)


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("other-algorithm-401")
def test_other_hmac_algorithms_with_the_secret_are_401(
    client, writes, minted_headers, jwt_secret, admin_credentials
):
    claims = jwt_probe.claims_for(admin_credentials[0])
    tokens = {
        f"a token signed {alg} with JWT_SECRET_KEY": "Bearer "
        + jwt_probe.token_signed_with(jwt_secret, claims, algorithm=alg)
        for alg in ("HS384", "HS512")
    }
    tokens["an unsigned alg none token"] = "Bearer " + jwt_probe.alg_none_token(claims)
    _assert_all_refused(client, writes, minted_headers, tokens)


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement(
    "writes-require-bearer",
    "refused-401-challenge",
    "no-header-401",
    "malformed-401",
    "bad-signature-401",
    "other-algorithm-401",
    "expired-401",
    "sub-401",
)
def test_every_write_rejects_every_bad_credential(
    client, writes, minted_headers, jwt_secret, admin_credentials
):
    username = admin_credentials[0]
    valid = jwt_probe.valid_token(jwt_secret, username)
    claims = jwt_probe.claims_for(username)
    del claims["sub"]
    basic = base64.b64encode(":".join(admin_credentials).encode()).decode()
    tokens = {
        f"a {label} token": f"Bearer {token}"
        for label, token in jwt_probe.forged_tokens(jwt_secret, username).items()
    }
    tokens.update(
        {
            "a token without sub": "Bearer " + jwt_probe.token_signed_with(jwt_secret, claims),
            "a token for an unknown user": "Bearer "
            + jwt_probe.valid_token(jwt_secret, f"{username}-nobody"),
            "a token whose sub is empty": "Bearer " + jwt_probe.valid_token(jwt_secret, ""),
            "Basic credentials": f"Basic {basic}",
            "a valid token under the scheme Token": f"Token {valid}",
            "an empty Authorization header": "",
        }
    )
    _assert_all_refused(client, writes, minted_headers, tokens)


@pytest.mark.rule("auth", "errors")
@pytest.mark.requirement("writes-require-bearer", "refused-401-challenge", "no-header-401")
def test_refusal_comes_before_validation_and_lookup(client, product_payload, minted_headers):
    cases = [
        ("POST", PRODUCTS_URL, product_payload(price=-1)),
        ("PUT", f"{PRODUCTS_URL}/987654321", product_payload()),
        ("PATCH", f"{PRODUCTS_URL}/987654321", {"quantity": 1}),
        ("DELETE", f"{PRODUCTS_URL}/987654321", None),
    ]
    for method, url, body in cases:
        response = client.request(method, url, json=body)
        jwt_probe.assert_rejected(response, f"{method} {url} without a token")


@pytest.mark.rule("auth")
@pytest.mark.requirement("accept-any-minted-token", "writes-behave-as-before")
def test_token_with_only_sub_and_exp_is_accepted(
    client, writes, minted_headers, jwt_secret, admin_credentials
):
    now = int(time.time())
    variants = {
        "only sub and exp": {"sub": admin_credentials[0], "exp": now + 600},
        "extra claims (jti, nbf, scope, custom)": {
            "sub": admin_credentials[0],
            "exp": now + 600,
            "nbf": now - 60,
            "jti": "a-unique-id",
            "scope": "anything",
            "role": "whatever",
        },
        "an iat long ago": {"sub": admin_credentials[0], "exp": now + 600, "iat": now - 86400},
    }
    for label, claims in variants.items():
        headers = jwt_probe.bearer(jwt_probe.token_signed_with(jwt_secret, claims))
        url, product, requests = writes()
        expected = {"POST": 201, "PUT": 200, "PATCH": 200, "DELETE": 204}
        for method, target, body in requests:
            response = client.request(method, target, json=body, headers=headers)
            assert response.status_code == expected[method], (
                f"{method} {target} with an unexpired HS256 token signed with JWT_SECRET_KEY "
                f"({label}) must be accepted with {expected[method]}; got "
                f"{response.status_code}: {response.text[:300]}"
            )
        assert client.get(url).status_code == 404, "the accepted DELETE must delete"
