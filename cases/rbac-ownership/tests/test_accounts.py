"""Accounts, tokens and roles: who exists, with which role, and which tokens count."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from evals_runtime.probes.access import assert_requires_auth, bearer

ADMIN_EMAIL = os.environ["ADMIN_EMAIL"]
ADMIN_PASSWORD = os.environ["ADMIN_PASSWORD"]

SECRET_FIELDS = ("password", "password_hash", "hashed_password", "hash")


@pytest.mark.rule("api-design", "schemas", "security")
@pytest.mark.requirement("register-201", "register-role-user", "no-password-in-responses")
def test_register_returns_201_with_user_role(client, unique_email, user_password):
    email = unique_email("register")
    response = client.post(
        "/api/v1/auth/register", json={"email": email, "password": user_password}
    )
    assert response.status_code == 201, (
        f"registration must answer 201 Created, got {response.status_code}: {response.text[:300]}"
    )
    body = response.json()
    assert isinstance(body.get("id"), int), f"'id' must be an integer, got {body!r}"
    assert body.get("email") == email, f"'email' must echo {email!r}, got {body!r}"
    assert body.get("role") == "user", (
        f"a self-registered account must have role 'user', got {body!r}"
    )
    leaked = [field for field in SECRET_FIELDS if field in body]
    assert not leaked, f"the registration response leaks {leaked}: {body!r}"


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("register-role-user")
def test_register_ignores_requested_admin_role(client, unique_email, user_password, login, whoami):
    email = unique_email("wannabe")
    response = client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": user_password, "role": "admin"},
    )
    assert response.status_code == 201, (
        "a registration body with an extra 'role' field must still be accepted (the field "
        f"is ignored), got {response.status_code}: {response.text[:300]}"
    )
    assert response.json().get("role") == "user", (
        "registration must ignore a requested role (mass assignment): the account was "
        f"created as {response.json().get('role')!r}"
    )
    token = login(email, user_password)
    assert whoami(token).get("role") == "user", (
        "GET /users/me must show role 'user' for an account that asked for 'admin'"
    )
    admin_only = client.get("/api/v1/admin/users", headers=bearer(token))
    assert admin_only.status_code == 403, (
        "an account that asked for 'admin' at registration must not reach admin routes, "
        f"GET /api/v1/admin/users answered {admin_only.status_code}"
    )


@pytest.mark.rule("api-design", "errors")
@pytest.mark.requirement("register-duplicate-409")
def test_register_duplicate_email_conflict_409(client, unique_email, user_password):
    email = unique_email("dup")
    payload = {"email": email, "password": user_password}
    first = client.post("/api/v1/auth/register", json=payload)
    assert first.status_code == 201, f"first registration must succeed, got {first.status_code}"
    second = client.post("/api/v1/auth/register", json=payload)
    assert second.status_code == 409, (
        f"registering an e-mail address twice must answer 409 Conflict, got "
        f"{second.status_code}: {second.text[:300]}"
    )


@pytest.mark.rule("auth")
@pytest.mark.requirement("token-wrong-credentials-401")
def test_token_with_wrong_password_401(client, make_user):
    user = make_user()
    response = client.post(
        "/api/v1/auth/token",
        data={"username": user.email, "password": "not-the-password"},
    )
    assert response.status_code == 401, (
        f"a wrong password must answer 401, got {response.status_code}: {response.text[:300]}"
    )


@pytest.mark.rule("auth")
@pytest.mark.requirement("admin-seeded", "users-me")
def test_seeded_admin_has_admin_role(admin, whoami):
    body = whoami(admin.token)
    assert body.get("email") == admin.email and body.get("role") == "admin", (
        "the account seeded from ADMIN_EMAIL / ADMIN_PASSWORD must exist with role 'admin', "
        f"GET /users/me says {body!r}"
    )


@pytest.mark.rule("auth")
@pytest.mark.requirement("bearer-401", "admin-only")
def test_invalid_token_401_with_bearer_challenge(client):
    for url in ("/api/v1/users/me", "/api/v1/notes", "/api/v1/admin/users"):
        assert_requires_auth(client, "GET", url, token="not-a-jwt")


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("bearer-401", "token-hs256-expiry")
def test_token_signed_with_another_key_rejected(client, admin):
    assert os.environ.get("JWT_SECRET_KEY"), "the grader must set JWT_SECRET_KEY"
    now = datetime.now(UTC)
    claims = {"iat": now, "exp": now + timedelta(minutes=5), "role": "admin"}
    for sub in (str(admin.id), admin.email):
        forged = jwt.encode(
            {**claims, "sub": sub},
            "an-attacker-chosen-key-0123456789",
            algorithm="HS256",
        )
        assert_requires_auth(client, "GET", "/api/v1/admin/users", token=forged)


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("bearer-401")
def test_expired_token_rejected(client, admin):
    secret = os.environ["JWT_SECRET_KEY"]
    past = datetime.now(UTC) - timedelta(hours=2)
    for sub in (str(admin.id), admin.email):
        expired = jwt.encode(
            {"sub": sub, "iat": past, "exp": past + timedelta(minutes=5)},
            secret,
            algorithm="HS256",
        )
        assert_requires_auth(client, "GET", "/api/v1/admin/users", token=expired)


@pytest.mark.rule("auth", "database")
@pytest.mark.requirement("admin-seeded", "role-from-db")
def test_seeding_restores_admin_account_on_restart(
    client, admin, make_user, login, whoami, restart_app
):
    # An account with ADMIN_EMAIL that is no longer an admin: another admin demotes it.
    helper = make_user("co-admin")
    promoted = client.patch(
        f"/api/v1/admin/users/{helper.id}/role", json={"role": "admin"}, headers=admin.headers
    )
    assert promoted.status_code == 200, f"precondition: promotion, got {promoted.status_code}"
    demoted = client.patch(
        f"/api/v1/admin/users/{admin.id}/role", json={"role": "user"}, headers=helper.headers
    )
    assert demoted.status_code == 200, (
        f"an admin may set any account's role, got {demoted.status_code}: {demoted.text[:300]}"
    )
    assert whoami(admin.token).get("role") == "user"
    restart_app()
    token = login(ADMIN_EMAIL, ADMIN_PASSWORD)
    assert whoami(token).get("role") == "admin", (
        "at start-up the ADMIN_EMAIL account must exist with role 'admin', also when it "
        "already existed with another role"
    )
    assert whoami(admin.token).get("role") == "admin"
    assert client.get("/api/v1/admin/users", headers=bearer(token)).status_code == 200
