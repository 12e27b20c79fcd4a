"""POST /api/v1/users: the success path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

USERS = "/api/v1/users"
PUBLIC_FIELDS = {"id", "email", "created_at"}


@pytest.mark.rule("api-design")
@pytest.mark.requirement("create-201")
def test_create_user_returns_201(register, unique_email, unique_password):
    response = register(unique_email("created"), unique_password())
    assert response.status_code == 201, (
        f"POST {USERS} with a valid body must answer 201 Created, got "
        f"{response.status_code}: {response.text[:300]}"
    )


@pytest.mark.rule("api-design")
@pytest.mark.requirement("path-no-redirect")
def test_create_route_has_no_trailing_slash_redirect(register, unique_email, unique_password):
    response = register(unique_email("noslash"), unique_password(), follow_redirects=False)
    assert response.status_code not in (301, 302, 307, 308), (
        f"POST {USERS} was redirected ({response.status_code} -> "
        f"{response.headers.get('location')}): the route must be exactly {USERS}, "
        "without a trailing slash (a router path of '' rather than '/')"
    )
    assert 200 <= response.status_code < 300, (
        f"POST {USERS} must be answered directly with a success, got "
        f"{response.status_code}: {response.text[:300]}"
    )


@pytest.mark.rule("api-design")
@pytest.mark.requirement("create-201")
def test_create_response_is_json(register, unique_email, unique_password):
    response = register(unique_email("json"), unique_password())
    content_type = response.headers.get("content-type", "")
    assert content_type.startswith("application/json"), (
        f"the registration response must be JSON, got Content-Type {content_type!r}"
    )


@pytest.mark.rule("schemas", "security")
@pytest.mark.requirement("create-201", "id-integer", "no-password-in-responses")
def test_create_response_has_exactly_public_fields(create_user, unique_email, unique_password):
    email = unique_email("fields")
    body = create_user(email, unique_password())
    assert set(body) == PUBLIC_FIELDS, (
        f"the created user must have exactly the fields {sorted(PUBLIC_FIELDS)}, got {sorted(body)}"
    )
    assert isinstance(body["id"], int) and not isinstance(body["id"], bool), (
        f"'id' must be an integer, got {body['id']!r}"
    )
    assert body["email"] == email, f"'email' must be {email!r}, got {body['email']!r}"


@pytest.mark.rule("schemas")
@pytest.mark.requirement("created-at-iso")
def test_created_at_is_iso_datetime(create_user, unique_email, unique_password):
    body = create_user(unique_email("created-at"), unique_password())
    raw = body.get("created_at")
    assert isinstance(raw, str), f"'created_at' must be an ISO 8601 string, got {raw!r}"
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        pytest.fail(f"'created_at' is not an ISO 8601 date-time: {raw!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    drift = abs(datetime.now(UTC) - parsed)
    assert drift < timedelta(days=1), (
        f"'created_at' ({raw}) should be the registration time, but it is {drift} away from now"
    )


@pytest.mark.rule("api-design", "database")
@pytest.mark.requirement("id-integer")
def test_created_users_get_distinct_ids(create_user, unique_email, unique_password):
    first = create_user(unique_email("id-a"), unique_password())
    second = create_user(unique_email("id-b"), unique_password())
    assert first["id"] != second["id"], (
        f"two registrations got the same id {first['id']!r}: ids must identify users"
    )


@pytest.mark.rule("schemas")
@pytest.mark.requirement("email-lowercase")
def test_email_normalised_to_lowercase(create_user, client, unique_email, unique_password):
    local = unique_email("Mixed.Case").split("@")[0]
    submitted = f"{local}@Example.COM"
    body = create_user(submitted, unique_password())
    expected = submitted.lower()
    assert body["email"] == expected, (
        f"e-mails are case-insensitive and must be returned lower-cased: submitted "
        f"{submitted!r}, expected {expected!r}, got {body['email']!r}"
    )
    fetched = client.get(f"{USERS}/{body['id']}")
    assert fetched.status_code == 200 and fetched.json().get("email") == expected, (
        f"GET {USERS}/{body['id']} must return the lower-cased e-mail {expected!r}, got "
        f"{fetched.status_code}: {fetched.text[:300]}"
    )


@pytest.mark.rule("database")
@pytest.mark.requirement("storage-database")
def test_user_is_persisted_in_database(create_user, db, unique_email, unique_password):
    from evals_runtime.probes.passwords import find_user_row

    email = unique_email("persisted")
    body = create_user(email, unique_password())
    row = find_user_row(db, email)  # raises with the tables found when the row is missing
    assert body["id"] in row.values.values(), (
        f"the {row.table!r} row for {email} does not hold the returned id {body['id']!r}: "
        f"row columns {sorted(row.values)}"
    )
