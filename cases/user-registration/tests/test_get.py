"""GET /api/v1/users/{user_id}, unsupported methods, and leaks in any response."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

USERS = "/api/v1/users"


def _instant(raw: str) -> datetime:
    parsed = datetime.fromisoformat(raw)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("get-200")
def test_get_user_returns_created_user(client, create_user, unique_email, unique_password):
    created = create_user(unique_email("get"), unique_password())
    response = client.get(f"{USERS}/{created['id']}")
    assert response.status_code == 200, (
        f"GET {USERS}/{created['id']} for an existing user must answer 200, got "
        f"{response.status_code}: {response.text[:300]}"
    )
    assert response.headers.get("content-type", "").startswith("application/json"), (
        "GET must answer JSON"
    )
    body = response.json()
    assert set(body) == {"id", "email", "created_at"}, (
        f"GET must return exactly id, email and created_at, got {sorted(body)}"
    )
    assert body["id"] == created["id"] and body["email"] == created["email"], (
        f"GET returned {body!r}, but the registration returned {created!r}"
    )
    assert _instant(body["created_at"]) == _instant(created["created_at"]), (
        f"GET's created_at {body['created_at']!r} is not the instant the registration "
        f"returned ({created['created_at']!r})"
    )


@pytest.mark.rule("errors", "api-design")
@pytest.mark.requirement("get-404")
def test_get_unknown_user_returns_404(client):
    response = client.get(f"{USERS}/987654321")
    assert response.status_code == 404, (
        f"GET {USERS}/<unknown id> must answer 404, got {response.status_code}: "
        f"{response.text[:300]}"
    )
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"], (
        f"the 404 body must be {{'detail': '<message>'}} with a string detail, got {body!r}"
    )


@pytest.mark.rule("errors", "api-design")
@pytest.mark.requirement("get-422")
def test_get_user_with_non_integer_id_returns_422(client):
    for raw in ("not-a-number", "1.5", "0x1f"):
        response = client.get(f"{USERS}/{raw}")
        assert response.status_code == 422, (
            f"GET {USERS}/{raw} must answer 422 (user_id is an integer), got "
            f"{response.status_code}: {response.text[:300]}"
        )


@pytest.mark.rule("api-design", "security")
@pytest.mark.requirement("no-other-operations")
def test_unsupported_methods_return_405(client, create_user, unique_email, unique_password):
    created = create_user(unique_email("methods"), unique_password())
    listing = client.get(USERS)
    assert listing.status_code == 405, (
        f"GET {USERS} must answer 405: there is no user listing (it would expose every "
        f"registered address), got {listing.status_code}: {listing.text[:200]}"
    )
    # No other operation on either path: every method the routes do not declare is 405.
    for method in ("PUT", "PATCH", "DELETE"):
        response = client.request(method, USERS)
        assert response.status_code == 405, (
            f"{method} {USERS} must answer 405 (no other operation), got "
            f"{response.status_code}: {response.text[:200]}"
        )
    for method in ("POST", "DELETE", "PUT", "PATCH"):
        response = client.request(method, f"{USERS}/{created['id']}")
        assert response.status_code == 405, (
            f"{method} {USERS}/{{id}} must answer 405 (no update or delete), got "
            f"{response.status_code}: {response.text[:200]}"
        )
    still_there = client.get(f"{USERS}/{created['id']}")
    assert still_there.status_code == 200, "the user disappeared after a DELETE attempt"


@pytest.mark.rule("security")
@pytest.mark.requirement("no-password-in-responses")
def test_responses_never_contain_password_material(client, register, unique_email, unique_password):
    from evals_runtime.probes.passwords import assert_no_password_in_payload

    email, password = unique_email("leak"), unique_password()
    created = register(email, password)
    assert 200 <= created.status_code < 300, f"setup: registration failed: {created.text[:300]}"
    assert_no_password_in_payload(created.json(), password, where="registration response")
    fetched = client.get(f"{USERS}/{created.json()['id']}")
    assert_no_password_in_payload(fetched.json(), password, where="GET user response")
    duplicate = register(email, password)
    assert password not in duplicate.text, "the duplicate-registration response echoes the password"
    if duplicate.headers.get("content-type", "").startswith("application/json"):
        assert_no_password_in_payload(duplicate.json(), password, where="duplicate response")
