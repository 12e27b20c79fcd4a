"""How the password is stored (read back from the database through the `db` fixture)."""

from __future__ import annotations

import pytest


@pytest.mark.rule("security", "database")
@pytest.mark.requirement("slow-salted-hash")
def test_password_not_stored_in_plaintext(create_user, db, unique_email, unique_password):
    from evals_runtime.probes.passwords import assert_plaintext_absent, find_user_row

    email, password = unique_email("plain"), unique_password()
    create_user(email, password)
    find_user_row(db, email)
    assert_plaintext_absent(db, password)


@pytest.mark.rule("security")
@pytest.mark.requirement("slow-salted-hash", "hash-self-describing")
def test_password_stored_as_salted_slow_hash(create_user, db, unique_email, unique_password):
    from evals_runtime.probes.passwords import assert_password_stored_safely

    email, password = unique_email("slowhash"), unique_password()
    create_user(email, password)
    assert_password_stored_safely(db, email, password)


@pytest.mark.rule("security")
@pytest.mark.requirement("distinct-hashes")
def test_same_password_gives_different_hashes(create_user, db, unique_email, unique_password):
    from evals_runtime.probes.passwords import assert_distinct_hashes

    password = unique_password()
    emails = [unique_email("salt-a"), unique_email("salt-b")]
    for email in emails:
        create_user(email, password)
    assert_distinct_hashes(db, emails, password)
