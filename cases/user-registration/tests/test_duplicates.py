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
@pytest.mark.requirement("dup-409", "dup-body")
def test_duplicate_email_returns_409(create_user, register, unique_email, unique_password):
    email = unique_email("dup")
    create_user(email, unique_password())
    _assert_conflict(register(email, unique_password()), "an e-mail that is already taken")


@pytest.mark.rule("errors")
@pytest.mark.requirement("dup-case-insensitive", "dup-body")
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
@pytest.mark.requirement("dup-unchanged")
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


@pytest.mark.rule("database", "errors")
@pytest.mark.requirement("dup-409", "dup-case-insensitive", "dup-unchanged")
def test_concurrent_duplicate_registrations_create_one_account(
    app_link, client, count_user_rows, unique_email, unique_password
):
    # Registrations of one address sent at the same moment: the address is registered by
    # exactly one of them, every other one is a 409 (not a 500), and one account is stored.
    import threading
    from concurrent.futures import ThreadPoolExecutor

    senders = 6
    for burst in range(3):
        email = unique_email(f"race{burst}")
        local, domain = email.split("@")
        variants = [email if i % 2 == 0 else f"{local.upper()}@{domain.upper()}" for i in range(senders)]
        barrier = threading.Barrier(senders)

        def send(address: str) -> tuple[int, str]:
            with app_link.client() as own_client:
                barrier.wait(timeout=30)
                response = own_client.post(
                    USERS, json={"email": address, "password": unique_password()}
                )
                return response.status_code, response.text[:200]

        with ThreadPoolExecutor(max_workers=senders) as pool:
            results = list(pool.map(send, variants))
        codes = sorted(code for code, _ in results)
        created = [code for code in codes if 200 <= code < 300]
        assert len(created) == 1 and all(code == 409 for code in codes if code not in created), (
            f"{senders} simultaneous registrations of {email} (in upper and lower case) must "
            f"give exactly one success and 409 for every other one, got {results!r}"
        )
        rows = count_user_rows(email)
        assert rows == 1, (
            f"{senders} simultaneous registrations of {email} stored {rows} accounts, not 1"
        )
