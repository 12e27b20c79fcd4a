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
    assert all(isinstance(entry.get("type"), str) for entry in detail), (
        f"{what}: every error needs a 'type' string (FastAPI's standard shape), got {detail!r}"
    )


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("email-valid", "validation-422", "validation-shape")
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
@pytest.mark.requirement("password-length", "validation-shape")
def test_password_too_short_returns_422(register, unique_email):
    _assert_422_for(
        register(unique_email("short"), "abc1234"), "password", "a 7-character password"
    )


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("password-length")
def test_password_too_long_returns_422(register, unique_email):
    _assert_422_for(
        register(unique_email("long"), "a1" * 32 + "b"),
        "password",
        "a 65-character password",
    )


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("password-letter-digit")
def test_password_without_digit_returns_422(register, unique_email):
    _assert_422_for(
        register(unique_email("nodigit"), "correct-horse-battery"),
        "password",
        "a password without a digit",
    )


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("password-letter-digit")
def test_password_without_letter_returns_422(register, unique_email):
    _assert_422_for(
        register(unique_email("noletter"), "1234-5678-90"),
        "password",
        "a password without a letter",
    )


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("password-letter-digit")
def test_password_non_ascii_digits_do_not_count(register, unique_email):
    # Unicode has many digits besides 0-9 (str.isdigit() and \d accept them all); the policy
    # asks for an ASCII digit. Each password below has ASCII letters and no 0-9.
    for password, what in (
        ("abcdefg\u0663", "an Arabic-Indic digit"),
        ("abcdefgh\u00b2", "a superscript two"),
        ("abcdefgh\uff11", "a full-width digit one"),
        ("abcdefgh\u0967\u096a", "Devanagari digits"),
        ("abcdefgh\u2460", "a circled digit one"),
    ):
        _assert_422_for(
            register(unique_email("uni-digit"), password),
            "password",
            f"a password whose only digit is {what} (not 0-9)",
        )


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("password-letter-digit")
def test_password_non_ascii_letters_do_not_count(register, unique_email):
    # Letters outside a-z/A-Z do not satisfy the ASCII-letter rule (str.isalpha() and
    # [^\W\d_] accept them). Each password below has 0-9 digits and no ASCII letter.
    for password, what in (
        ("\u043f\u0430\u0440\u043e\u043b\u044c12345", "Cyrillic letters"),
        ("\u00e4\u00f6\u00fc\u00df12345", "German umlauts and eszett"),
        ("\uff41\uff42\uff43\uff44-2024", "full-width latin letters"),
        ("\u03b1\u03b2\u03b3\u03b4\u03b5-123", "Greek letters"),
    ):
        _assert_422_for(
            register(unique_email("uni-letter"), password),
            "password",
            f"a password whose only letters are {what} (no a-z or A-Z)",
        )


@pytest.mark.rule("schemas")
@pytest.mark.requirement("password-letter-digit", "password-unicode")
def test_password_with_one_ascii_letter_and_digit_accepted(register, unique_email):
    # One ASCII letter and one ASCII digit anywhere suffice, the rest may be any text.
    for password in (
        "\u00e4\u00f6\u00fc\u00df\u00e4\u00f6z7",
        "7\u043f\u0430\u0440\u043e\u043b\u044cQ",
        "--------A1",
        "1         b",
    ):
        response = register(unique_email("one-each"), password)
        assert 200 <= response.status_code < 300, (
            f"the password {password!r} has an ASCII letter and a digit 0-9 and must be "
            f"accepted, got {response.status_code}: {response.text[:300]}"
        )


@pytest.mark.rule("schemas")
@pytest.mark.requirement("password-length")
def test_password_length_boundaries_accepted(register, unique_email):
    for password in ("abcdef12", "x9" * 32):
        response = register(unique_email("boundary"), password)
        assert 200 <= response.status_code < 300, (
            f"a {len(password)}-character password with letters and digits is within the "
            f"policy (8-64) and must be accepted, got {response.status_code}: "
            f"{response.text[:300]}"
        )


@pytest.mark.rule("security", "errors")
@pytest.mark.requirement("password-unicode")
def test_long_multibyte_password_accepted(register, unique_email):
    # 63 characters, 77 bytes in UTF-8: inside the policy, beyond bcrypt's 72-byte input.
    password = "pässwörd1" * 7
    response = register(unique_email("multibyte"), password)
    assert 200 <= response.status_code < 300, (
        f"a {len(password)}-character password ({len(password.encode())} bytes in UTF-8) "
        f"is within the policy and must be accepted, got {response.status_code}: "
        f"{response.text[:300]}. (bcrypt >= 5 raises ValueError for input over 72 bytes.)"
    )


@pytest.mark.rule("security", "errors")
@pytest.mark.requirement("password-unicode", "password-length")
def test_passwords_around_72_utf8_bytes_accepted(register, unique_email):
    # Any 8-64 character text is allowed, whatever its UTF-8 size: check every byte length
    # around bcrypt's 72-byte input limit (2-byte and 4-byte characters), on both sides.
    passwords = {}
    for size in range(70, 76):
        pairs, odd = divmod(size - 2, 2)
        passwords["a1" + "\u00e9" * pairs + "x" * odd] = f"{size} bytes (2-byte characters)"
    for size in (71, 72, 73):
        quads, rest = divmod(size - 2, 4)
        passwords["Z9" + "\U0001f600" * quads + "y" * rest] = f"{size} bytes (4-byte characters)"
    for password, what in passwords.items():
        assert len(password.encode()) <= 76 and len(password) <= 64
        response = register(unique_email("bytes72"), password)
        assert 200 <= response.status_code < 300, (
            f"a {len(password)}-character password of {what} in UTF-8 is within the policy "
            f"and must be accepted, got {response.status_code}: {response.text[:300]}"
        )


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("password-length", "password-unicode")
def test_password_length_counts_characters_not_bytes(register, unique_email):
    # The policy counts characters: the byte length of the UTF-8 encoding must not matter on
    # either side of either bound.
    accepted = {
        "a1" + "\u00e9" * 6: "8 characters, 14 bytes",
        "a1" + "\u00e9" * 62: "64 characters, 126 bytes",
        "a1" + "\u20ac" * 62: "64 characters, 188 bytes",
        "Z9" + "\U0001f600" * 30: "32 characters, 122 bytes",
    }
    for password, what in accepted.items():
        response = register(unique_email("chars-ok"), password)
        assert 200 <= response.status_code < 300, (
            f"a password of {what} is within the policy (8-64 characters) and must be "
            f"accepted, got {response.status_code}: {response.text[:300]}"
        )
    rejected = {
        "a1" + "\u00e9" * 5: "7 characters, 12 bytes",
        "a1" + "\u00e9" * 63: "65 characters, 128 bytes",
    }
    for password, what in rejected.items():
        _assert_422_for(
            register(unique_email("chars-bad"), password), "password", f"a password of {what}"
        )


@pytest.mark.rule("errors")
@pytest.mark.requirement("validation-422", "validation-shape")
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
@pytest.mark.requirement("validation-no-echo", "no-password-in-responses")
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
@pytest.mark.requirement("rejected-not-stored")
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
