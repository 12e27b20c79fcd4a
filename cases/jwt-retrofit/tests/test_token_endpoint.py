"""POST /api/v1/auth/token: OAuth2 password grant issuing HS256 JWTs for 30 minutes."""

from __future__ import annotations

import time

import jwt
import pytest

TOKEN_URL = "/api/v1/auth/token"
LIFETIME_S = 30 * 60
# exp is whole seconds (floored), so it lies in [before + 30 min - 1 s, after + 30 min]:
# a few seconds of slack tell 30 minutes from 29 or 31.
LEEWAY_S = 5
# Inspect the claims the contract fixes; extra claims (aud, iss...) are the server's business.
DECODE_OPTIONS = {"verify_exp": False, "verify_aud": False, "verify_iss": False}


def _no_token_in(response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return True
    return not (isinstance(body, dict) and "access_token" in body)


@pytest.mark.rule("auth", "api-design")
@pytest.mark.requirement("token-form", "token-200", "keep-seeding")
def test_token_endpoint_issues_bearer_token(login, admin_credentials):
    response = login(*admin_credentials)
    assert response.status_code == 200, (
        f"POST {TOKEN_URL} with the seeded admin's username/password (form-encoded) must "
        f"return 200; got {response.status_code}: {response.text[:300]}"
    )
    body = response.json()
    assert isinstance(body.get("access_token"), str) and body["access_token"], (
        f"the token response must carry a non-empty access_token string: {body}"
    )
    assert str(body.get("token_type", "")).lower() == "bearer", (
        f'the token response must say "token_type": "bearer": {body}'
    )


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("token-hs256", "token-claims")
def test_access_token_is_hs256_jwt_naming_the_user(access_token, jwt_secret, admin_credentials):
    header = jwt.get_unverified_header(access_token)
    assert header.get("alg") == "HS256", f"the access token must be signed HS256; header: {header}"
    try:
        claims = jwt.decode(access_token, jwt_secret, algorithms=["HS256"], options=DECODE_OPTIONS)
    except jwt.InvalidTokenError as exc:
        pytest.fail(f"the access token must verify with JWT_SECRET_KEY (HS256): {exc!r}")
    assert claims.get("sub") == admin_credentials[0], (
        f"the token's sub claim must be the username {admin_credentials[0]!r}; claims: {claims}"
    )


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("token-claims")
def test_access_token_expires_in_30_minutes(login, admin_credentials, jwt_secret):
    before = time.time()
    response = login(*admin_credentials)
    after = time.time()
    assert response.status_code == 200, f"login failed: {response.status_code} {response.text}"
    token = response.json()["access_token"]
    claims = jwt.decode(token, jwt_secret, algorithms=["HS256"], options=DECODE_OPTIONS)
    assert "exp" in claims, f"the access token must carry an exp claim; claims: {claims}"
    exp = claims["exp"]
    assert isinstance(exp, int | float), f"exp must be a NumericDate (seconds): {exp!r}"
    assert before + LIFETIME_S - LEEWAY_S <= exp <= after + LIFETIME_S + LEEWAY_S, (
        f"exp must be 30 minutes after issue; it is {exp - after:+.0f} s from now"
    )


@pytest.mark.rule("auth", "errors")
@pytest.mark.requirement("token-401")
def test_token_endpoint_wrong_password_is_401(login, admin_credentials):
    username, password = admin_credentials
    response = login(username, password + "-wrong")
    assert response.status_code == 401, (
        f"a wrong password must be refused with 401; got {response.status_code}: "
        f"{response.text[:300]}"
    )
    assert _no_token_in(response), f"a refused login must not return a token: {response.text}"


@pytest.mark.rule("auth", "errors")
@pytest.mark.requirement("token-401")
def test_token_endpoint_unknown_user_is_401(login, admin_credentials):
    response = login("nobody-by-this-name", admin_credentials[1])
    assert response.status_code == 401, (
        f"an unknown username must be refused with 401; got {response.status_code}: "
        f"{response.text[:300]}"
    )
    assert _no_token_in(response), f"a refused login must not return a token: {response.text}"


@pytest.mark.rule("auth", "errors")
@pytest.mark.requirement("token-422")
def test_token_endpoint_missing_password_is_422(client, admin_credentials):
    response = client.post(
        TOKEN_URL, data={"grant_type": "password", "username": admin_credentials[0]}
    )
    assert response.status_code == 422, (
        f"a login form without password must be a 422 validation error; got "
        f"{response.status_code}: {response.text[:300]}"
    )


@pytest.mark.rule("auth", "errors")
@pytest.mark.requirement("token-422")
def test_token_endpoint_missing_username_is_422(client, admin_credentials):
    for form in ({"grant_type": "password", "password": admin_credentials[1]}, {}):
        response = client.post(TOKEN_URL, data=form)
        assert response.status_code == 422, (
            f"a login form without username ({sorted(form)}) must be a 422 validation error; "
            f"got {response.status_code}: {response.text[:300]}"
        )


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("token-401")
def test_wrong_password_and_unknown_user_answer_alike(login, admin_credentials):
    username, password = admin_credentials
    wrong = login(username, "x" + password)
    unknown = login(username + "-nobody", password)
    assert wrong.status_code == unknown.status_code == 401, (
        f"both refusals must be 401; got {wrong.status_code} and {unknown.status_code}"
    )
    assert wrong.json() == unknown.json(), (
        "a wrong password and an unknown username must be answered the same way: "
        f"{wrong.text[:200]} vs {unknown.text[:200]}"
    )


@pytest.mark.rule("auth", "api-design")
@pytest.mark.requirement("no-registration", "keep-seeding")
def test_no_registration_endpoint(client, openapi):
    for path, item in openapi.get("paths", {}).items():
        lowered = path.lower()
        assert not any(word in lowered for word in ("regist", "signup", "sign-up")), (
            f"do not add a registration endpoint: /openapi.json lists {path}"
        )
        if path.rstrip("/").endswith("/users"):
            assert "post" not in item, f"do not add a registration endpoint: POST {path}"
    for url in ("/api/v1/auth/register", "/api/v1/users", "/api/v1/auth/signup"):
        response = client.post(url, json={"username": "new-user", "password": "Passw0rd-1234"})
        assert response.status_code in (404, 405), (
            f"do not add a registration endpoint: POST {url} answered {response.status_code}"
        )
