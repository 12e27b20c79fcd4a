"""Hidden suite for `review-and-fix`: the Bloglet API after the security review.

Each planted defect has tests that fail while it is there (fail-to-pass): SQL injection in
the login and in the user lookup/search, plaintext passwords, an unauthenticated DELETE,
wrong status codes (200 on create, 200 + {"error": ...} on not found, 200 on delete) and
stack traces in error bodies. The rest pin the legitimate behaviour the fix must keep
(pass-to-pass). Everything goes through HTTP, so any correct fix passes.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from evals_runtime.probes.access import assert_requires_auth, bearer
from evals_runtime.probes.leaks import find_internal_leaks
from evals_runtime.probes.passwords import (
    assert_distinct_hashes,
    assert_no_password_in_payload,
    assert_password_stored_safely,
)
from evals_runtime.probes.sqli import (
    assert_login_not_bypassed,
    assert_lookup_not_injectable,
)

USERS = "/api/v1/users"
LOGIN = "/api/v1/auth/login"
POSTS = "/api/v1/posts"
PASSWORD = "Correct-Horse-42"
MISSING_POST_ID = 987_654_321

# --- helpers --------------------------------------------------------------------------------


def _preview(response: Any) -> str:
    text = response.text or ""
    return text if len(text) <= 300 else text[:300] + "..."


def _username() -> str:
    return f"u{uuid.uuid4().hex[:12]}"


def _register(client: Any, email: str, username: str | None = None, password: str = PASSWORD):
    username = username or _username()
    response = client.post(USERS, json={"username": username, "email": email, "password": password})
    return username, response


def _registered(client: Any, email: str, password: str = PASSWORD) -> dict[str, Any]:
    username, response = _register(client, email, password=password)
    assert response.status_code in (200, 201), (
        f"precondition: registering {username!r} failed with {response.status_code}: "
        f"{_preview(response)}"
    )
    body = response.json()
    return {"username": username, "email": email, "id": body.get("id"), "password": password}


def _token(client: Any, username: str, password: str = PASSWORD) -> str:
    response = client.post(LOGIN, json={"username": username, "password": password})
    assert response.status_code == 200, (
        f"precondition: POST {LOGIN} with the right password must answer 200, got "
        f"{response.status_code}: {_preview(response)}"
    )
    token = response.json().get("access_token")
    assert isinstance(token, str) and token, f"login answered no access_token: {response.json()}"
    return token


def _user_with_token(client: Any, email: str) -> dict[str, Any]:
    user = _registered(client, email)
    user["token"] = _token(client, user["username"])
    return user


def _create_post(client: Any, token: str, title: str = "Hello") -> dict[str, Any]:
    response = client.post(
        POSTS, json={"title": title, "content": "Some content."}, headers=bearer(token)
    )
    assert response.status_code in (200, 201), (
        f"precondition: POST {POSTS} by a logged-in user failed with {response.status_code}: "
        f"{_preview(response)}"
    )
    return response.json()


def _assert_no_internals(response: Any, what: str) -> None:
    leaks = find_internal_leaks(response)
    assert not leaks, (
        f"{what} answered {response.status_code} with server internals in its body: "
        f"{'; '.join(leaks)}. Body: {_preview(response)}. Log the exception on the server "
        "and answer a generic {'detail': ...} message."
    )


def _assert_detail(response: Any, status: int, what: str) -> None:
    assert response.status_code == status, (
        f"{what} must answer {status}, got {response.status_code}: {_preview(response)}"
    )
    body = response.json()
    assert isinstance(body, dict) and "detail" in body, (
        f"{what}: an error body must be {{'detail': ...}}, got {body!r}"
    )
    assert "error" not in body, (
        f"{what}: the error must be reported through the status code and 'detail', "
        f"not an 'error' key: {body!r}"
    )


# --- registration ---------------------------------------------------------------------------


@pytest.mark.rule("api-design")
def test_register_returns_201_with_profile(client, unique_email):
    email = unique_email("reg")
    username, response = _register(client, email)
    assert response.status_code == 201, (
        f"POST {USERS} creates a user and must answer 201 Created, got "
        f"{response.status_code}: {_preview(response)}"
    )
    body = response.json()
    assert body.get("username") == username and body.get("email") == email, (
        f"the 201 body must echo the new user's username and email, got {body!r}"
    )
    assert isinstance(body.get("id"), int), f"the 201 body must carry an integer id: {body!r}"
    assert "created_at" in body, f"the 201 body must carry created_at: {body!r}"


@pytest.mark.rule("security", "schemas")
def test_register_response_has_no_password(client, unique_email):
    _, response = _register(client, unique_email("nopw"))
    assert response.status_code in (200, 201), f"registration failed: {_preview(response)}"
    assert_no_password_in_payload(response.json(), PASSWORD, where=f"POST {USERS} response")


@pytest.mark.rule("errors", "schemas")
def test_register_invalid_input_422(client, unique_email):
    cases = {
        "short password": {"username": _username(), "email": unique_email(), "password": "x"},
        "bad email": {"username": _username(), "email": "not-an-email", "password": PASSWORD},
        "missing username": {"email": unique_email(), "password": PASSWORD},
    }
    for label, payload in cases.items():
        response = client.post(USERS, json=payload)
        assert response.status_code == 422, (
            f"POST {USERS} with a {label} must answer 422, got {response.status_code}: "
            f"{_preview(response)}"
        )


@pytest.mark.rule("errors", "database")
def test_register_duplicate_username_409(client, unique_email):
    user = _registered(client, unique_email("dup"))
    _, response = _register(client, unique_email("dup2"), username=user["username"])
    _assert_detail(response, 409, f"POST {USERS} with a taken username")


@pytest.mark.rule("errors", "database")
def test_register_duplicate_email_409(client, unique_email):
    user = _registered(client, unique_email("dupmail"))
    _, response = _register(client, user["email"])
    _assert_detail(response, 409, f"POST {USERS} with a taken email")


@pytest.mark.rule("security", "errors")
def test_register_conflict_has_no_traceback(client, unique_email):
    user = _registered(client, unique_email("trace"))
    _, response = _register(client, unique_email("trace2"), username=user["username"])
    _assert_no_internals(response, f"POST {USERS} with a taken username")
    assert set(response.json()) == {"detail"}, (
        f"the 409 body must be exactly {{'detail': ...}}, got keys {sorted(response.json())}"
    )


# --- password storage -----------------------------------------------------------------------


@pytest.mark.rule("security", "database")
def test_password_stored_hashed(client, db, unique_email):
    user = _registered(client, unique_email("hash"))
    assert_password_stored_safely(db, user["email"], PASSWORD)


@pytest.mark.rule("security", "database")
def test_password_hashes_salted(client, db, unique_email):
    emails = [_registered(client, unique_email("salt"))["email"] for _ in range(2)]
    assert_distinct_hashes(db, emails, PASSWORD)


# --- login ----------------------------------------------------------------------------------


@pytest.mark.rule("auth")
def test_login_returns_working_bearer_token(client, unique_email):
    user = _registered(client, unique_email("login"))
    response = client.post(LOGIN, json={"username": user["username"], "password": PASSWORD})
    assert response.status_code == 200, (
        f"POST {LOGIN} with the right password must answer 200, got {response.status_code}: "
        f"{_preview(response)}"
    )
    body = response.json()
    assert body.get("token_type", "").lower() == "bearer", f"token_type must be 'bearer': {body}"
    created = client.post(
        POSTS, json={"title": "t", "content": "c"}, headers=bearer(body["access_token"])
    )
    assert created.status_code in (200, 201), (
        f"the token from login must authenticate POST {POSTS}, got {created.status_code}: "
        f"{_preview(created)}"
    )


@pytest.mark.rule("auth", "errors")
def test_login_wrong_password_401(client, unique_email):
    user = _registered(client, unique_email("wrongpw"))
    response = client.post(
        LOGIN, json={"username": user["username"], "password": "Wrong-password-1"}
    )
    _assert_detail(response, 401, f"POST {LOGIN} with a wrong password")
    unknown = client.post(LOGIN, json={"username": _username(), "password": PASSWORD})
    _assert_detail(unknown, 401, f"POST {LOGIN} for an unknown username")


@pytest.mark.rule("security", "auth")
def test_login_sqli_not_bypassed(client, unique_email):
    user = _registered(client, unique_email("sqli"))
    _token(client, user["username"])  # the login works for real credentials
    assert_login_not_bypassed(
        client, LOGIN, ("username", "password"), identity=user["username"], password=PASSWORD
    )


# --- user lookup and search -----------------------------------------------------------------


@pytest.mark.rule("api-design", "schemas")
def test_user_lookup_returns_public_profile(client, unique_email):
    user = _registered(client, unique_email("lookup"))
    response = client.get(f"{USERS}/{user['username']}")
    assert response.status_code == 200, (
        f"GET {USERS}/<username> of an existing user must answer 200, got "
        f"{response.status_code}: {_preview(response)}"
    )
    body = response.json()
    assert body.get("username") == user["username"] and isinstance(body.get("id"), int), (
        f"the public profile must be {{'id', 'username'}}, got {body!r}"
    )
    assert user["email"] not in response.text, "the public profile must not expose the email"


@pytest.mark.rule("api-design", "errors")
def test_user_lookup_unknown_404(client):
    response = client.get(f"{USERS}/{_username()}")
    _assert_detail(response, 404, f"GET {USERS}/<unknown username>")


@pytest.mark.rule("security", "database")
def test_user_lookup_not_injectable(client, unique_email):
    user = _registered(client, unique_email("inj"))
    other = _registered(client, unique_email("inj2"))
    assert client.get(f"{USERS}/{user['username']}").status_code == 200, (
        "precondition: the lookup of an existing user must answer 200"
    )
    assert_lookup_not_injectable(
        client,
        USERS + "/{payload}",
        anchors=[user["username"]],
        ok_statuses=(400, 404, 422),
        must_not_leak=[user["email"], other["email"], other["username"]],
    )


@pytest.mark.rule("api-design")
def test_user_search_finds_substring(client, unique_email):
    user = _registered(client, unique_email("search"))
    needle = user["username"][3:11]
    response = client.get(USERS, params={"search": needle.upper()})
    assert response.status_code == 200, (
        f"GET {USERS}?search= must answer 200, got {response.status_code}: {_preview(response)}"
    )
    names = [item.get("username") for item in response.json()]
    assert names == [user["username"]], (
        f"searching for {needle.upper()!r} (case-insensitive substring) must find exactly "
        f"{user['username']!r}, got {names!r}"
    )


@pytest.mark.rule("security", "database")
def test_user_search_not_injectable(client, unique_email):
    user = _registered(client, unique_email("sinj"))
    hit = client.get(USERS, params={"search": user["username"]})
    assert hit.status_code == 200 and len(hit.json()) == 1, (
        f"precondition: searching for an existing username must find it: {_preview(hit)}"
    )
    assert_lookup_not_injectable(
        client,
        USERS,
        query_param="search",
        anchors=[user["username"]],
        ok_statuses=(200, 400, 422),
        must_not_leak=[user["email"]],
    )


# --- posts ----------------------------------------------------------------------------------


@pytest.mark.rule("api-design", "auth")
def test_create_post_returns_201(client, unique_email):
    user = _user_with_token(client, unique_email("post"))
    response = client.post(
        POSTS,
        json={"title": "First", "content": "Hello there."},
        headers=bearer(user["token"]),
    )
    assert response.status_code == 201, (
        f"POST {POSTS} creates a post and must answer 201 Created, got "
        f"{response.status_code}: {_preview(response)}"
    )
    body = response.json()
    assert body.get("title") == "First" and body.get("content") == "Hello there.", (
        f"the 201 body must echo title and content: {body!r}"
    )
    assert body.get("author_id") == user["id"], (
        f"author_id must be the logged-in user's id {user['id']}, got {body.get('author_id')!r}"
    )


@pytest.mark.rule("auth")
def test_create_post_requires_auth(client):
    assert_requires_auth(client, "POST", POSTS, json={"title": "t", "content": "c"})


@pytest.mark.rule("api-design")
def test_get_post_returns_post(client, unique_email):
    user = _user_with_token(client, unique_email("read"))
    post = _create_post(client, user["token"], title="Readable")
    response = client.get(f"{POSTS}/{post['id']}")
    assert response.status_code == 200, (
        f"GET {POSTS}/<id> of an existing post must answer 200, got {response.status_code}"
    )
    assert response.json().get("title") == "Readable", f"wrong post: {response.json()!r}"


@pytest.mark.rule("api-design", "errors")
def test_get_post_unknown_404(client):
    response = client.get(f"{POSTS}/{MISSING_POST_ID}")
    _assert_detail(response, 404, f"GET {POSTS}/<unknown id>")


@pytest.mark.rule("auth", "security")
def test_delete_post_requires_auth(client, unique_email):
    user = _user_with_token(client, unique_email("delauth"))
    post = _create_post(client, user["token"])
    url = f"{POSTS}/{post['id']}"
    assert_requires_auth(client, "DELETE", url)
    assert_requires_auth(client, "DELETE", url, token="not-a-valid-token")
    still = client.get(url)
    assert still.status_code == 200, (
        f"an unauthenticated DELETE {url} must not delete the post; GET now answers "
        f"{still.status_code}"
    )


@pytest.mark.rule("auth", "security")
def test_delete_post_by_other_user_403(client, unique_email):
    author = _user_with_token(client, unique_email("author"))
    intruder = _user_with_token(client, unique_email("intruder"))
    post = _create_post(client, author["token"])
    url = f"{POSTS}/{post['id']}"
    response = client.delete(url, headers=bearer(intruder["token"]))
    _assert_detail(response, 403, f"DELETE {url} by a user who is not the author")
    still = client.get(url)
    assert still.status_code == 200, (
        f"a refused DELETE by another user must leave the post in place; GET {url} now "
        f"answers {still.status_code}"
    )


@pytest.mark.rule("api-design", "auth")
def test_delete_own_post_204(client, unique_email):
    user = _user_with_token(client, unique_email("delown"))
    post = _create_post(client, user["token"])
    url = f"{POSTS}/{post['id']}"
    response = client.delete(url, headers=bearer(user["token"]))
    assert response.status_code == 204, (
        f"DELETE {url} by its author must answer 204 No Content, got {response.status_code}: "
        f"{_preview(response)}"
    )
    assert response.content == b"", f"a 204 must have an empty body, got {response.content!r}"
    gone = client.get(url)
    _assert_detail(gone, 404, f"GET {url} after its deletion")


@pytest.mark.rule("api-design", "errors")
def test_delete_unknown_post_404(client, unique_email):
    user = _user_with_token(client, unique_email("delmiss"))
    response = client.delete(f"{POSTS}/{MISSING_POST_ID}", headers=bearer(user["token"]))
    _assert_detail(response, 404, f"DELETE {POSTS}/<unknown id> by a logged-in user")


# --- error bodies ---------------------------------------------------------------------------


def _error_responses(client: Any, unique_email: Any) -> list[tuple[str, Any]]:
    author = _user_with_token(client, unique_email("sweep"))
    other = _user_with_token(client, unique_email("sweep2"))
    post = _create_post(client, author["token"])
    return [
        ("duplicate registration", _register(client, unique_email(), author["username"])[1]),
        (
            "wrong password",
            client.post(LOGIN, json={"username": author["username"], "password": "nope-nope"}),
        ),
        ("unknown user", client.get(f"{USERS}/{_username()}")),
        ("unknown post", client.get(f"{POSTS}/{MISSING_POST_ID}")),
        ("anonymous create", client.post(POSTS, json={"title": "t", "content": "c"})),
        ("foreign delete", client.delete(f"{POSTS}/{post['id']}", headers=bearer(other["token"]))),
        ("invalid body", client.post(USERS, json={"username": "x"})),
        ("quote in lookup", client.get(f"{USERS}/%27")),
        ("quote in search", client.get(USERS, params={"search": "'"})),
        ("quote in login", client.post(LOGIN, json={"username": "'", "password": "'"})),
    ]


@pytest.mark.rule("security", "errors")
def test_error_bodies_have_no_traceback(client, unique_email):
    for label, response in _error_responses(client, unique_email):
        _assert_no_internals(response, label)


@pytest.mark.rule("errors")
def test_not_found_and_conflict_use_detail(client, unique_email):
    expected = {
        "duplicate registration": 409,
        "wrong password": 401,
        "unknown user": 404,
        "unknown post": 404,
        "anonymous create": 401,
        "foreign delete": 403,
    }
    for label, response in _error_responses(client, unique_email):
        if label in expected:
            _assert_detail(response, expected[label], label)
