"""POST /api/v1/users: request validation (422) and the password policy."""

from __future__ import annotations

import pytest

USERS = "/api/v1/users"


def _assert_422_for(response, field: str, what: str) -> None:
    assert response.status_code == 422, (
        f"{what} must be rejected with 422, got {response.status_code}: {response.text[:300]}"
    )
    body = response.json()
    detail = body.get("detail") if isinstance(body, dict) else None
    assert isinstance(detail, list) and detail, (
        f"{what}: the 422 body must be {{'detail': [<error>, ...]}} (FastAPI's standard "
        f"shape), got {body!r}"
    )
    locs = [entry.get("loc") for entry in detail if isinstance(entry, dict)]
    assert any(isinstance(loc, list) and field in loc for loc in locs), (
        f"{what}: an error's 'loc' must name the field {field!r} (e.g. ['body', {field!r}]), "
        f"got locs {locs!r}"
    )
    assert all(isinstance(entry.get("msg"), str) for entry in detail), (
        f"{what}: every error needs a 'msg' string, got {detail!r}"
    )


@pytest.mark.rule("errors", "schemas")
def test_invalid_email_returns_422(register, unique_password):
    for email in (
        "not-an-email",
        "user@",
        "@example.com",
        "user@@example.com",
        "user name@example.com",
        "",
    ):
        _assert_422_for(register(email, unique_password()), "email", f"e-mail {email!r}")


@pytest.mark.rule("errors", "schemas")
def test_password_too_short_returns_422(register, unique_email):
    _assert_422_for(
        register(unique_email("short"), "abc1234"), "password", "a 7-character password"
    )


@pytest.mark.rule("errors", "schemas")
def test_password_too_long_returns_422(register, unique_email):
    _assert_422_for(
        register(unique_email("long"), "a1" * 32 + "b"),
        "password",
        "a 65-character password",
    )


@pytest.mark.rule("errors", "schemas")
def test_password_without_digit_returns_422(register, unique_email):
    _assert_422_for(
        register(unique_email("nodigit"), "correct-horse-battery"),
        "password",
        "a password without a digit",
    )


@pytest.mark.rule("errors", "schemas")
def test_password_without_letter_returns_422(register, unique_email):
    _assert_422_for(
        register(unique_email("noletter"), "1234-5678-90"),
        "password",
        "a password without a letter",
    )


@pytest.mark.rule("schemas")
def test_password_length_boundaries_accepted(register, unique_email):
    for password in ("abcdef12", "x9" * 32):
        response = register(unique_email("boundary"), password)
        assert 200 <= response.status_code < 300, (
            f"a {len(password)}-character password with letters and digits is within the "
            f"policy (8-64) and must be accepted, got {response.status_code}: "
            f"{response.text[:300]}"
        )


@pytest.mark.rule("security", "errors")
def test_long_multibyte_password_accepted(register, unique_email):
    # 63 characters, 77 bytes in UTF-8: inside the policy, beyond bcrypt's 72-byte input.
    password = "pässwörd1" * 7
    response = register(unique_email("multibyte"), password)
    assert 200 <= response.status_code < 300, (
        f"a {len(password)}-character password ({len(password.encode())} bytes in UTF-8) "
        f"is within the policy and must be accepted, got {response.status_code}: "
        f"{response.text[:300]}. (bcrypt >= 5 raises ValueError for input over 72 bytes.)"
    )


@pytest.mark.rule("errors")
def test_missing_or_malformed_body_returns_422(client, unique_email, unique_password):
    cases = [
        ({"email": unique_email("nopw")}, "password", "a body without 'password'"),
        ({"password": unique_password()}, "email", "a body without 'email'"),
    ]
    for payload, field, what in cases:
        _assert_422_for(client.post(USERS, json=payload), field, what)
    malformed = client.post(
        USERS,
        content=b'{"email": "x@example.com", "password": ',
        headers={"content-type": "application/json"},
    )
    assert malformed.status_code == 422, (
        f"malformed JSON must be rejected with 422, got {malformed.status_code}: "
        f"{malformed.text[:300]}"
    )


@pytest.mark.rule("security", "errors")
def test_validation_errors_do_not_echo_password(client, register, unique_email):
    from evals_runtime.probes.passwords import assert_no_password_in_payload

    attempts = {
        "a too-short password": ("Qz7#kV2", unique_email("echo1")),
        "a too-long password": ("Zq7" * 22, unique_email("echo2")),
        "an invalid e-mail": ("Valid-pass-90210-qq", "not-an-email"),
    }
    for what, (password, email) in attempts.items():
        response = register(email, password)
        assert response.status_code == 422, f"{what} must give 422, got {response.status_code}"
        assert password not in response.text, (
            f"the 422 response to {what} echoes the submitted password: {response.text[:300]}"
        )
        assert_no_password_in_payload(response.json(), password, where=f"422 for {what}")
    password = "Missing-email-pw-4242"
    response = client.post(USERS, json={"password": password})
    assert response.status_code == 422, (
        f"a missing e-mail must give 422, got {response.status_code}"
    )
    assert password not in response.text, (
        "the 422 for a body without 'email' echoes the submitted password (FastAPI's default "
        f"error 'input' is the whole body): {response.text[:300]}"
    )


@pytest.mark.rule("database", "errors")
def test_rejected_registration_is_not_stored(register, count_user_rows, unique_email):
    for password in ("abc1234", "no-digits-here", "12345678"):
        email = unique_email("rejected")
        response = register(email, password)
        assert response.status_code == 422, (
            f"password {password!r} breaks the policy and must give 422, got {response.status_code}"
        )
        assert count_user_rows(email) == 0, (
            f"a registration rejected with 422 still stored a row for {email}"
        )
