"""Pass-to-pass: the registration contract that existed before the task must not change.

A recording fake replaces the e-mail sender in every test (once it exists), so these tests
check the registration itself, whatever the default sender does. They pass on the starting
workspace too.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import USERS_URL


@pytest.mark.rule("api-design", "schemas", "security")
@pytest.mark.requirement("registration-201")
def test_registration_returns_201_with_public_fields(
    register, quiet_sender, unique_email, strong_password, stored_hash
):
    email = unique_email("reg")
    password = strong_password()
    response = register(email, password)
    assert response.status_code == 201, (
        f"POST {USERS_URL} with a valid body must still return 201, got "
        f"{response.status_code}: {response.text[:300]}"
    )
    body = response.json()
    assert set(body) == {"id", "email", "created_at"}, (
        f"the 201 body must keep exactly the fields id, email, created_at; got {sorted(body)}"
    )
    assert body["email"] == email and isinstance(body["id"], int), (
        f"the 201 body must echo the e-mail and carry an integer id, got {body}"
    )
    assert password not in response.text, "the registration response must not echo the password"
    hashed = stored_hash(email)
    assert hashed and hashed not in response.text, (
        "the registration response must not contain the password hash"
    )
    created_at = body.get("created_at")
    assert isinstance(created_at, str), f"created_at must be an ISO 8601 string, got {body}"
    datetime.fromisoformat(created_at.replace("Z", "+00:00"))


@pytest.mark.rule("errors", "api-design")
@pytest.mark.requirement("registration-409")
def test_duplicate_registration_is_409(register, quiet_sender, unique_email):
    email = unique_email("dup")
    first = register(email)
    assert first.status_code == 201, f"first registration must succeed, got {first.status_code}"
    second = register(email)
    assert second.status_code == 409, (
        f"registering an already registered e-mail must still return 409, got "
        f"{second.status_code}: {second.text[:300]}"
    )
    assert isinstance(second.json().get("detail"), str), (
        f"the 409 body must be {{'detail': <message>}}, got {second.text[:300]}"
    )


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("registration-422")
def test_invalid_registration_is_422(register, quiet_sender, unique_email):
    bad_email = register("not-an-email", "long-enough-password")
    assert bad_email.status_code == 422, (
        f"an invalid e-mail must still return 422, got {bad_email.status_code}"
    )
    short_password = register(unique_email("short"), "short")
    assert short_password.status_code == 422, (
        f"a password under 8 characters must still return 422, got {short_password.status_code}"
    )


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("registration-422", "registration-201")
def test_password_length_boundaries(register, quiet_sender, unique_email):
    for length, expected in ((7, 422), (8, 201), (72, 201), (73, 201), (128, 201), (129, 422)):
        password = ("Pw9-" * 40)[:length]
        response = register(unique_email(f"len{length}"), password)
        assert response.status_code == expected, (
            f"a {length}-character password must answer {expected} (8 to 128 characters "
            f"are valid), got {response.status_code}: {response.text[:200]}"
        )
