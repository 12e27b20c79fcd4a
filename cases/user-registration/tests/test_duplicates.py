"""POST /api/v1/users: duplicate e-mail addresses."""

from __future__ import annotations

import pytest

USERS = "/api/v1/users"


def _assert_conflict(response, what: str) -> None:
    assert response.status_code == 409, (
        f"registering {what} must answer 409 Conflict, got {response.status_code}: "
        f"{response.text[:300]}"
    )
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"], (
        f"the 409 body must be {{'detail': '<message>'}} with a string detail, got {body!r}"
    )


@pytest.mark.rule("errors", "api-design")
def test_duplicate_email_returns_409(create_user, register, unique_email, unique_password):
    email = unique_email("dup")
    create_user(email, unique_password())
    _assert_conflict(register(email, unique_password()), "an e-mail that is already taken")


@pytest.mark.rule("errors")
def test_duplicate_email_different_case_returns_409(
    create_user, register, unique_email, unique_password
):
    email = unique_email("dupcase")
    create_user(email, unique_password())
    local, domain = email.split("@")
    shouted = f"{local.upper()}@{domain.upper()}"
    _assert_conflict(
        register(shouted, unique_password()),
        f"{shouted} after {email} (e-mails compare case-insensitively)",
    )


@pytest.mark.rule("database", "security")
def test_duplicate_does_not_change_existing_account(
    create_user, register, db, count_user_rows, unique_email, unique_password
):
    from evals_runtime.probes.passwords import find_user_row

    email = unique_email("dupkeep")
    original = create_user(email, unique_password())
    before = dict(find_user_row(db, email).values)
    register(email, unique_password())
    register(email.upper(), unique_password())
    rows = count_user_rows(email)
    assert rows == 1, f"after two rejected duplicates there must be 1 row for {email}, got {rows}"
    after = dict(find_user_row(db, email).values)
    assert after == before, (
        "a rejected duplicate registration changed the existing account: columns "
        f"{sorted(k for k in before if before[k] != after.get(k))} differ"
    )
    assert original["id"] in after.values(), "the original account's id changed"
