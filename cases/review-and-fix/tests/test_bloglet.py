"""Hidden suite for `review-and-fix`: the Bloglet API after the security review.

Each planted defect has tests that fail while it is there (fail-to-pass): SQL injection in
the login and in the user lookup/search, plaintext passwords, an unauthenticated DELETE,
wrong status codes (200 on create, 200 + {"error": ...} on not found, 200 on delete) and
stack traces in error bodies. The rest pin the legitimate behaviour the fix must keep
(pass-to-pass). Everything goes through HTTP, so any correct fix passes.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime
from typing import Any

import jwt as pyjwt

import pytest
from evals_runtime.probes import jwt as jwt_probe
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
    assert set(body) == {"detail"} and isinstance(body["detail"], str) and body["detail"], (
        f"{what}: an error body must be exactly {{'detail': '<message>'}}, got {body!r}"
    )
    assert "error" not in body, (
        f"{what}: the error must be reported through the status code and 'detail', "
        f"not an 'error' key: {body!r}"
    )


# --- registration ---------------------------------------------------------------------------


@pytest.mark.rule("api-design")
@pytest.mark.requirement("register-201", "paths-under-api-v1")
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
@pytest.mark.requirement("register-no-password")
def test_register_response_has_no_password(client, unique_email):
    _, response = _register(client, unique_email("nopw"))
    assert response.status_code in (200, 201), f"registration failed: {_preview(response)}"
    assert_no_password_in_payload(response.json(), PASSWORD, where=f"POST {USERS} response")


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("register-422", "register-fields", "error-detail-shape")
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
@pytest.mark.requirement("register-409", "error-detail-shape")
def test_register_duplicate_username_409(client, unique_email):
    user = _registered(client, unique_email("dup"))
    _, response = _register(client, unique_email("dup2"), username=user["username"])
    _assert_detail(response, 409, f"POST {USERS} with a taken username")


@pytest.mark.rule("errors", "database")
@pytest.mark.requirement("register-409", "error-detail-shape")
def test_register_duplicate_email_409(client, unique_email):
    user = _registered(client, unique_email("dupmail"))
    _, response = _register(client, user["email"])
    _assert_detail(response, 409, f"POST {USERS} with a taken email")


@pytest.mark.rule("security", "errors")
@pytest.mark.requirement("no-internals-in-errors", "error-detail-shape", "fix-every-problem")
def test_register_conflict_has_no_traceback(client, unique_email):
    user = _registered(client, unique_email("trace"))
    _, response = _register(client, unique_email("trace2"), username=user["username"])
    _assert_no_internals(response, f"POST {USERS} with a taken username")
    assert set(response.json()) == {"detail"}, (
        f"the 409 body must be exactly {{'detail': ...}}, got keys {sorted(response.json())}"
    )


# --- password storage -----------------------------------------------------------------------


@pytest.mark.rule("security", "database")
@pytest.mark.requirement("password-hashing", "fix-every-problem")
def test_password_stored_hashed(client, db, unique_email):
    user = _registered(client, unique_email("hash"))
    assert_password_stored_safely(db, user["email"], PASSWORD)


@pytest.mark.rule("security", "database")
@pytest.mark.requirement("password-hashing")
def test_password_hashes_salted(client, db, unique_email):
    emails = [_registered(client, unique_email("salt"))["email"] for _ in range(2)]
    assert_distinct_hashes(db, emails, PASSWORD)


# --- login ----------------------------------------------------------------------------------


@pytest.mark.rule("auth")
@pytest.mark.requirement("login", "bearer-401")
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
@pytest.mark.requirement("login", "error-detail-shape")
def test_login_wrong_password_401(client, unique_email):
    user = _registered(client, unique_email("wrongpw"))
    response = client.post(
        LOGIN, json={"username": user["username"], "password": "Wrong-password-1"}
    )
    _assert_detail(response, 401, f"POST {LOGIN} with a wrong password")
    unknown = client.post(LOGIN, json={"username": _username(), "password": PASSWORD})
    _assert_detail(unknown, 401, f"POST {LOGIN} for an unknown username")


@pytest.mark.rule("security", "auth")
@pytest.mark.requirement("login", "fix-every-problem")
def test_login_sqli_not_bypassed(client, unique_email):
    user = _registered(client, unique_email("sqli"))
    _token(client, user["username"])  # the login works for real credentials
    assert_login_not_bypassed(
        client, LOGIN, ("username", "password"), identity=user["username"], password=PASSWORD
    )


# --- user lookup and search -----------------------------------------------------------------


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("user-lookup")
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
@pytest.mark.requirement("user-lookup", "error-detail-shape")
def test_user_lookup_unknown_404(client):
    response = client.get(f"{USERS}/{_username()}")
    _assert_detail(response, 404, f"GET {USERS}/<unknown username>")


@pytest.mark.rule("security", "database")
@pytest.mark.requirement("user-lookup", "fix-every-problem")
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
@pytest.mark.requirement("user-search")
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
@pytest.mark.requirement("search-literal", "fix-every-problem")
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
@pytest.mark.requirement("create-post")
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
@pytest.mark.requirement("create-post", "bearer-401")
def test_create_post_requires_auth(client):
    assert_requires_auth(client, "POST", POSTS, json={"title": "t", "content": "c"})


@pytest.mark.rule("api-design")
@pytest.mark.requirement("get-post")
def test_get_post_returns_post(client, unique_email):
    user = _user_with_token(client, unique_email("read"))
    post = _create_post(client, user["token"], title="Readable")
    response = client.get(f"{POSTS}/{post['id']}")
    assert response.status_code == 200, (
        f"GET {POSTS}/<id> of an existing post must answer 200, got {response.status_code}"
    )
    assert response.json().get("title") == "Readable", f"wrong post: {response.json()!r}"


@pytest.mark.rule("api-design", "errors")
@pytest.mark.requirement("get-post", "error-detail-shape")
def test_get_post_unknown_404(client):
    response = client.get(f"{POSTS}/{MISSING_POST_ID}")
    _assert_detail(response, 404, f"GET {POSTS}/<unknown id>")


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("delete-post", "bearer-401", "fix-every-problem")
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
@pytest.mark.requirement("delete-post", "fix-every-problem")
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
@pytest.mark.requirement("delete-post")
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
@pytest.mark.requirement("delete-post")
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
@pytest.mark.requirement("no-internals-in-errors")
def test_error_bodies_have_no_traceback(client, unique_email):
    for label, response in _error_responses(client, unique_email):
        _assert_no_internals(response, label)


@pytest.mark.rule("errors")
@pytest.mark.requirement("error-detail-shape")
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


# --- generalised checks ---------------------------------------------------------------------


def _all_users(client: Any) -> list[dict[str, Any]]:
    response = client.get(USERS)
    assert response.status_code == 200, (
        f"GET {USERS} must answer 200, got {response.status_code}: {_preview(response)}"
    )
    body = response.json()
    assert isinstance(body, list), f"GET {USERS} must answer a JSON array, got {body!r:.200}"
    return body


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("user-search", "user-lookup")
def test_user_search_lists_public_profiles_by_id(client, unique_email):
    created = [_registered(client, unique_email("list")) for _ in range(2)]
    users = _all_users(client)
    for item in users:
        assert isinstance(item, dict) and set(item) == {"id", "username"}, (
            f"GET {USERS} lists public profiles {{'id', 'username'}} only, got {item!r}"
        )
    ids = [item["id"] for item in users]
    assert ids == sorted(ids), f"GET {USERS} must be ordered by id, got ids {ids}"
    names = [item["username"] for item in users]
    for user in created:
        assert user["username"] in names, (
            f"without search, GET {USERS} must list every user; {user['username']!r} missing"
        )
    profile = client.get(f"{USERS}/{created[0]['username']}").json()
    assert profile == {"id": created[0]["id"], "username": created[0]["username"]}, (
        f"the public profile must be exactly {{'id', 'username'}}, got {profile!r}"
    )


@pytest.mark.rule("api-design", "security")
@pytest.mark.requirement("search-literal", "user-search")
def test_user_search_matches_literally(client, unique_email):
    tag = uuid.uuid4().hex[:8]
    for username in (f"w{tag}_Under", f"w{tag}xUnder", f"w{tag}.Dot-Dash", f"w{tag}aDotbDash"):
        _registered_as(client, username, unique_email("lit"))
    everyone = _all_users(client)
    needles = (
        "_",
        "%",
        "_%",
        "%_",
        "*",
        "?",
        "[",
        "\\",
        "/",
        "^",
        "'",
        f"{tag}_",
        f"{tag}_under",
        f"{tag.upper()}XUNDER",
        f"{tag}.",
        f"{tag}.dot-",
        f"{tag}%",
        f"{tag}_%",
        f"{tag}x%",
        f"{tag}[x]",
        f"{tag}.*",
    )
    for needle in needles:
        response = client.get(USERS, params={"search": needle})
        assert response.status_code == 200, (
            f"GET {USERS}?search={needle!r} must answer 200, got {response.status_code}: "
            f"{_preview(response)}"
        )
        got = [item.get("username") for item in response.json()]
        expected = [u["username"] for u in everyone if needle.lower() in u["username"].lower()]
        assert got == expected, (
            f"GET {USERS}?search={needle!r} must return exactly the usernames that contain "
            f"{needle!r} literally (case-insensitive), ordered by id: expected {expected}, "
            f"got {got}"
        )


def _registered_as(client: Any, username: str, email: str, password: str = PASSWORD) -> dict:
    _, response = _register(client, email, username=username, password=password)
    assert response.status_code in (200, 201), (
        f"precondition: registering {username!r} failed with {response.status_code}: "
        f"{_preview(response)}"
    )
    return {"username": username, "email": email, "id": response.json().get("id")}


@pytest.mark.rule("api-design", "security")
@pytest.mark.requirement("user-lookup")
def test_user_lookup_matches_exactly(client, unique_email):
    tag = uuid.uuid4().hex[:8]
    user = _registered_as(client, f"x{tag}_a.b", unique_email("exact"))
    response = client.get(f"{USERS}/{user['username']}")
    assert response.status_code == 200 and response.json().get("id") == user["id"], (
        f"GET {USERS}/{user['username']} must find the user: {_preview(response)}"
    )
    for other in (f"x{tag}Za.b", f"x{tag}_a", f"x{tag}_aXb", f"x{tag}_a.bc"):
        response = client.get(f"{USERS}/{other}")
        _assert_detail(response, 404, f"GET {USERS}/{other} (no user has exactly this name)")


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("register-fields", "register-422", "register-201", "error-detail-shape")
def test_register_field_bounds(client, unique_email):
    tag = uuid.uuid4().hex
    accepted = {
        "a 3-character username": {"username": f"{tag[:2]}_", "password": PASSWORD},
        "a 30-character username of every allowed kind": {
            "username": f"Az09_.-{tag[:23]}",
            "password": PASSWORD,
        },
        "an 8-character password": {"username": f"p8{tag[:10]}", "password": "Abcdef1!"},
        "a 72-character password": {"username": f"p72{tag[:10]}", "password": "Pw-" + "x" * 69},
    }
    for label, fields in accepted.items():
        response = client.post(USERS, json={**fields, "email": unique_email("ok")})
        assert response.status_code == 201, (
            f"POST {USERS} with {label} is valid and must answer 201, got "
            f"{response.status_code}: {_preview(response)}"
        )
        _token(client, fields["username"], fields["password"])
    rejected = {
        "a 2-character username": {"username": "ab"},
        "a 31-character username": {"username": f"u{tag[:30]}"},
        "a username with a space": {"username": f"u {tag[:8]}"},
        "a username with '@'": {"username": f"u@{tag[:8]}"},
        "a username with '/'": {"username": f"u/{tag[:8]}"},
        "a username with a non-ASCII letter": {"username": f"\u00e9{tag[:8]}"},
        "a 7-character password": {"password": "Abcde1!"},
        "a 73-character password": {"password": "Pw-" + "x" * 70},
        "an email without a domain": {"email": "someone@"},
        "a missing password": {"password": None},
    }
    for label, change in rejected.items():
        payload = {"username": f"r{tag[:10]}", "email": unique_email("bad"), "password": PASSWORD}
        payload.update(change)
        payload = {k: v for k, v in payload.items() if v is not None}
        response = client.post(USERS, json=payload)
        assert response.status_code == 422, (
            f"POST {USERS} with {label} must answer 422, got {response.status_code}: "
            f"{_preview(response)}"
        )
        detail = response.json().get("detail")
        assert isinstance(detail, list) and all("loc" in d and "msg" in d for d in detail), (
            f"validation errors keep FastAPI's standard 422 body, got {_preview(response)}"
        )


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("register-fields", "register-422", "unexpected-500")
def test_register_non_ascii_passwords(client, unique_email):
    """Passwords are counted in characters; non-ASCII ones must never crash the registration."""
    for count in (8, 36, 40, 72):
        password = "\u00e9" * count  # 'é': two UTF-8 bytes per character
        username = f"na{count}{uuid.uuid4().hex[:10]}"
        response = client.post(
            USERS, json={"username": username, "email": unique_email("na"), "password": password}
        )
        if len(password.encode("utf-8")) <= 72:
            assert response.status_code == 201, (
                f"POST {USERS} with a {count}-character password is valid and must answer "
                f"201, got {response.status_code}: {_preview(response)}"
            )
        else:  # more than bcrypt's 72 bytes: accepting it or a 422 are both defensible
            assert response.status_code in (201, 422), (
                f"POST {USERS} with a {count}-character non-ASCII password must be accepted "
                f"(201) or refused as invalid input (422), got {response.status_code}: "
                f"{_preview(response)}"
            )
        if response.status_code == 201:
            _token(client, username, password)


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("register-201")
def test_register_201_carries_created_at(client, unique_email):
    _, response = _register(client, unique_email("when"))
    assert response.status_code == 201, _preview(response)
    created_at = response.json().get("created_at")
    assert isinstance(created_at, str), f"created_at must be a datetime, got {created_at!r}"
    datetime.fromisoformat(created_at.replace("Z", "+00:00"))


@pytest.mark.rule("errors", "database", "auth")
@pytest.mark.requirement("register-409")
def test_rejected_registration_changes_nothing(client, unique_email):
    first = _registered(client, unique_email("keep"))
    attempts = {
        "the same username": {"username": first["username"], "email": unique_email("k2")},
        "the same email": {"username": _username(), "email": first["email"]},
        "both": {"username": first["username"], "email": first["email"]},
    }
    for label, fields in attempts.items():
        response = client.post(USERS, json={**fields, "password": "Another-pass-99"})
        _assert_detail(response, 409, f"POST {USERS} with {label} as an existing user")
        _assert_no_internals(response, f"POST {USERS} with {label}")
    _token(client, first["username"])  # the original account still logs in
    denied = client.post(LOGIN, json={"username": first["username"], "password": "Another-pass-99"})
    _assert_detail(denied, 401, "login with the password of a refused registration")
    found = client.get(USERS, params={"search": attempts["the same email"]["username"]}).json()
    assert found == [], f"a refused registration must not create a user, found {found!r}"


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("login")
def test_login_rejects_near_misses(client, unique_email):
    user = _registered(client, unique_email("near"))
    other = _registered(client, unique_email("near2"), password="Other-Pass-77")
    token = _token(client, user["username"])
    parts = token.split(".")
    assert len(parts) == 3 and pyjwt.get_unverified_header(token).get("alg"), (
        f"access_token must be a JWT, got {token!r:.60}"
    )
    for label, username, password in (
        ("a password with one more character", user["username"], PASSWORD + "x"),
        ("a truncated password", user["username"], PASSWORD[:-1]),
        ("the password in another case", user["username"], PASSWORD.swapcase()),
        ("another user's password", user["username"], other["password"]),
        ("a prefix of the username", user["username"][:-1], PASSWORD),
    ):
        response = client.post(LOGIN, json={"username": username, "password": password})
        _assert_detail(response, 401, f"POST {LOGIN} with {label}")


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("login", "register-fields")
def test_login_rejects_overlong_passwords(client, unique_email):
    """Longer than the 72 characters registration allows, a password is always a wrong one."""
    password = "Pw-" + "x" * 69  # 72 characters: the longest password registration accepts
    user = _registered_as(
        client, f"long{uuid.uuid4().hex[:10]}", unique_email("long"), password=password
    )
    _token(client, user["username"], password)  # the 72-character password itself logs in
    for label, attempt in (
        ("the 72-character password plus one character", password + "x"),
        ("the 72-character password plus 28 characters", password + "x" * 28),
        ("a 200-character password", "y" * 200),
    ):
        response = client.post(LOGIN, json={"username": user["username"], "password": attempt})
        assert response.status_code in (401, 422), (
            f"POST {LOGIN} with {label} is a wrong password and must be refused (401), got "
            f"{response.status_code}: {_preview(response)}"
        )
        if response.status_code == 401:
            _assert_detail(response, 401, f"POST {LOGIN} with {label}")


def _forged_tokens(client: Any, token: str) -> dict[str, str]:
    """Invalid bearer values for the account ``token`` belongs to (its claims, kept)."""
    claims = pyjwt.decode(token, options={"verify_signature": False})
    secret = os.environ.get("JWT_SECRET_KEY", "")
    expired = {**claims, "exp": int(datetime.now().timestamp()) - 3600}
    tokens = {
        "an expired token": pyjwt.encode(expired, secret or "x" * 32, algorithm="HS256"),
        "a token signed with another key": pyjwt.encode(claims, "k" * 64, algorithm="HS256"),
        "an unsigned (alg none) token": jwt_probe.alg_none_token(claims),
        "a token edited after signing": jwt_probe.tampered_token(token, exp=claims.get("exp", 0) + 60),
        "a token with its signature cut": token.rsplit(".", 1)[0] + ".",
    }
    tokens.update({f"a malformed token ({k})": v for k, v in jwt_probe.malformed_tokens().items()})
    return tokens


def _assert_rejected(response: Any, what: str) -> None:
    jwt_probe.assert_rejected(response, what)
    _assert_detail(response, 401, what)


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("bearer-401", "create-post", "delete-post")
def test_protected_endpoints_reject_every_invalid_token(client, unique_email):
    user = _user_with_token(client, unique_email("forge"))
    post = _create_post(client, user["token"])
    url = f"{POSTS}/{post['id']}"
    requests = (("POST", POSTS, {"title": "t", "content": "c"}), ("DELETE", url, None))
    headers = {
        "no Authorization header": {},
        "a Basic credential": {"Authorization": "Basic dXNlcjpwYXNz"},
        "the token without its scheme": {"Authorization": user["token"]},
    }
    headers.update({label: bearer(t) for label, t in _forged_tokens(client, user["token"]).items()})
    for method, target, body in requests:
        for label, header in headers.items():
            response = client.request(method, target, json=body, headers=header)
            _assert_rejected(response, f"{method} {target} with {label}")
    still = client.get(url)
    assert still.status_code == 200, f"rejected DELETEs must leave {url} in place"
    response = client.delete(url, headers=bearer(user["token"]))
    assert response.status_code == 204, "the real token must still work after the forgeries"


@pytest.mark.rule("api-design")
@pytest.mark.requirement("get-post", "create-post", "delete-post")
def test_post_lifecycle(client, unique_email):
    author = _user_with_token(client, unique_email("life"))
    other = _user_with_token(client, unique_email("life2"))
    response = client.post(
        POSTS, json={"title": "Lifecycle", "content": "Body."}, headers=bearer(author["token"])
    )
    assert response.status_code == 201, _preview(response)
    created = response.json()
    assert {"id", "title", "content", "author_id", "created_at"} <= set(created), created
    assert created["author_id"] == author["id"], created
    datetime.fromisoformat(str(created["created_at"]).replace("Z", "+00:00"))
    url = f"{POSTS}/{created['id']}"
    fetched = client.get(url)
    assert fetched.status_code == 200, f"GET {url} (public) must answer 200: {_preview(fetched)}"
    for key in ("id", "title", "content", "author_id"):
        assert fetched.json().get(key) == created[key], (
            f"GET {url} must return the post as created: {_preview(fetched)}"
        )
    mine = client.post(
        POSTS, json={"title": "Other's", "content": "x"}, headers=bearer(other["token"])
    ).json()
    assert mine["author_id"] == other["id"], "author_id must be the caller, not a fixed user"
    _assert_detail(client.delete(url, headers=bearer(other["token"])), 403, "a foreign DELETE")
    response = client.delete(url, headers=bearer(author["token"]))
    assert response.status_code == 204 and response.content == b"", _preview(response)
    _assert_detail(client.delete(url, headers=bearer(author["token"])), 404, "a second DELETE")
    assert client.get(f"{POSTS}/{mine['id']}").status_code == 200, "other posts must remain"


@pytest.fixture(scope="module")
def faulty(client: Any) -> str:
    """Routes the case's shim adds to the app, failing on purpose (see shim/)."""
    response = client.get("/__evals__/shim-error")
    try:
        problem = response.json().get("error") if response.status_code == 200 else None
    except ValueError:
        problem = response.text[:200]
    if response.status_code != 200 or problem:
        pytest.fail(f"the suite's failing routes are missing: {problem or response.status_code}")
    return "/__evals__"


@pytest.mark.rule("errors", "security")
@pytest.mark.requirement("unexpected-500", "no-internals-in-errors", "error-detail-shape")
def test_unexpected_error_is_a_generic_500(client, faulty):
    for method, path in (("GET", "boom/runtime"), ("GET", "boom/key"), ("POST", "boom/database")):
        response = client.request(method, f"{faulty}/{path}")
        _assert_detail(response, 500, f"an unexpected {path} error")
        assert response.headers.get("content-type", "").startswith("application/json"), (
            f"the 500 must be JSON, got {response.headers.get('content-type')!r}"
        )
        for secret in ("s3cr3t-b10g1e7", "kaboom", "database is locked", "SELECT"):
            assert secret not in response.text, (
                f"an unexpected error's 500 must carry a generic message, got {_preview(response)}"
            )
        _assert_no_internals(response, f"an unexpected {path} error")


@pytest.mark.rule("structure")
@pytest.mark.requirement("keep-layout")
def test_layout_is_kept(source):
    files = set(source.python_files())
    for module in ("auth", "users", "posts"):
        assert f"app/api/v1/endpoints/{module}.py" in files, (
            f"keep the existing layout: app/api/v1/endpoints/{module}.py is gone"
        )
    for folder in ("app/schemas/", "app/models/", "app/core/"):
        assert any(f.startswith(folder) for f in files), f"keep the existing layout: {folder}"
