"""Vertical access: routes under /api/v1/admin are for the admin role only."""

from __future__ import annotations

import pytest
from evals_runtime.probes.access import (
    assert_cannot_access,
    assert_requires_auth,
    assert_role_required,
    bearer,
    list_items,
)

SECRET_FIELDS = ("password", "password_hash", "hashed_password", "hash")


def _role_url(user_id: int) -> str:
    return f"/api/v1/admin/users/{user_id}/role"


@pytest.mark.rule("auth")
@pytest.mark.requirement("admin-only", "bearer-401")
def test_admin_routes_anonymous_401_with_bearer_challenge(client, make_user):
    target = make_user("target")
    assert_requires_auth(client, "GET", "/api/v1/admin/users")
    assert_requires_auth(client, "GET", "/api/v1/admin/notes")
    assert_requires_auth(client, "PATCH", _role_url(target.id), json={"role": "admin"})


@pytest.mark.rule("auth")
@pytest.mark.requirement("admin-only")
def test_admin_users_forbidden_for_user_403(client, make_user):
    user = make_user()
    assert_cannot_access(client, "GET", "/api/v1/admin/users", user.token, allowed_statuses=(403,))


@pytest.mark.rule("auth")
@pytest.mark.requirement("admin-only")
def test_admin_notes_forbidden_for_user_403(client, make_user):
    user = make_user()
    assert_cannot_access(client, "GET", "/api/v1/admin/notes", user.token, allowed_statuses=(403,))


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("admin-only")
def test_user_cannot_change_roles_403(client, make_user, whoami):
    user = make_user()
    assert_cannot_access(
        client,
        "PATCH",
        _role_url(user.id),
        user.token,
        json={"role": "admin"},
        allowed_statuses=(403,),
    )
    assert whoami(user.token).get("role") == "user", (
        "a refused role change must leave the account's role at 'user'"
    )


@pytest.mark.rule("auth", "api-design", "security")
@pytest.mark.requirement("admin-list-users", "admin-only", "no-password-in-responses")
def test_admin_lists_all_users(client, admin, make_user):
    user = make_user()
    response = assert_role_required(
        client,
        "GET",
        "/api/v1/admin/users",
        denied_token=user.token,
        allowed_token=admin.token,
    )
    accounts = list_items(response.json())
    by_email = {item.get("email"): item for item in accounts if isinstance(item, dict)}
    assert user.email in by_email and admin.email in by_email, (
        "GET /api/v1/admin/users must list every account, "
        f"missing {[e for e in (user.email, admin.email) if e not in by_email]}"
    )
    assert by_email[user.email].get("role") == "user", by_email[user.email]
    assert by_email[admin.email].get("role") == "admin", by_email[admin.email]
    for item in accounts:
        leaked = [field for field in SECRET_FIELDS if field in item]
        assert not leaked, f"GET /api/v1/admin/users leaks {leaked}: {item!r}"


@pytest.mark.rule("auth", "api-design")
@pytest.mark.requirement("admin-list-notes")
def test_admin_lists_every_users_notes(client, admin, make_user, make_note):
    alice, bob = make_user("alice"), make_user("bob")
    notes = [make_note(alice, title="alice's"), make_note(bob, title="bob's")]
    response = client.get("/api/v1/admin/notes", headers=admin.headers)
    assert response.status_code == 200, (
        f"GET /api/v1/admin/notes by an admin must answer 200, got {response.status_code}"
    )
    ids = {item.get("id") for item in list_items(response.json())}
    missing = [note["id"] for note in notes if note["id"] not in ids]
    assert not missing, f"GET /api/v1/admin/notes must list every note, missing {missing}"


@pytest.mark.rule("auth", "database")
@pytest.mark.requirement("role-from-db", "admin-set-role")
def test_promotion_applies_to_existing_token(client, admin, make_user, whoami):
    user = make_user("promoted")
    before = client.get("/api/v1/admin/users", headers=user.headers)
    assert before.status_code == 403, f"precondition: a user gets 403, got {before.status_code}"
    response = client.patch(_role_url(user.id), json={"role": "admin"}, headers=admin.headers)
    assert response.status_code == 200, (
        f"PATCH {_role_url(user.id)} by an admin must answer 200, got "
        f"{response.status_code}: {response.text[:300]}"
    )
    assert response.json().get("role") == "admin", response.json()
    after = client.get("/api/v1/admin/users", headers=user.headers)
    assert after.status_code == 200, (
        "after promotion to admin, the user's existing token must reach admin routes "
        f"(roles are read from the database on each request), got {after.status_code}"
    )
    assert whoami(user.token).get("role") == "admin"


@pytest.mark.rule("auth", "database", "security")
@pytest.mark.requirement("role-from-db", "admin-set-role")
def test_demotion_applies_to_existing_token(client, admin, make_user, login, user_password):
    user = make_user("demoted")
    promoted = client.patch(_role_url(user.id), json={"role": "admin"}, headers=admin.headers)
    assert promoted.status_code == 200, f"precondition: promotion, got {promoted.status_code}"
    admin_token = login(user.email, user_password)  # issued while the account is admin
    assert client.get("/api/v1/admin/users", headers=bearer(admin_token)).status_code == 200
    demoted = client.patch(_role_url(user.id), json={"role": "user"}, headers=admin.headers)
    assert demoted.status_code == 200, f"demotion must answer 200, got {demoted.status_code}"
    after = client.get("/api/v1/admin/users", headers=bearer(admin_token))
    assert after.status_code == 403, (
        "a token issued while the account was admin must lose admin rights once the role "
        f"is set back to 'user', got {after.status_code}"
    )


@pytest.mark.rule("api-design", "errors")
@pytest.mark.requirement("admin-set-role")
def test_change_role_validates_role_and_account(client, admin, make_user):
    user = make_user()
    bad = client.patch(_role_url(user.id), json={"role": "root"}, headers=admin.headers)
    assert bad.status_code == 422, (
        f"an unknown role value must answer 422, got {bad.status_code}: {bad.text[:300]}"
    )
    missing = client.patch(_role_url(987_654_321), json={"role": "admin"}, headers=admin.headers)
    assert missing.status_code == 404, (
        f"changing the role of an unknown account must answer 404, got {missing.status_code}"
    )
