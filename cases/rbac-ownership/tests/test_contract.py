"""The rest of the stated contract: validation, token format, storage, every route's 401."""

from __future__ import annotations

import os
import uuid

import jwt
import pytest
from evals_runtime.probes.access import assert_requires_auth, bearer, list_items
from evals_runtime.probes.jwt import (
    alg_none_token,
    claims_for,
    expired_token,
    forged_tokens,
    rejection_problem,
    token_signed_with,
)
from evals_runtime.probes.passwords import assert_plaintext_absent

NOTE_KEYS = {"id", "title", "content", "owner_id"}
ACCOUNT_KEYS = {"id", "email", "role"}


def _register(client, email, password):
    return client.post("/api/v1/auth/register", json={"email": email, "password": password})


# --- registration -----------------------------------------------------------------------


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("register-validation")
def test_register_validates_email_and_password_length(client, unique_email):
    for bad_email in ("not-an-email", "two@@example.com", "", "user@"):
        response = _register(client, bad_email, "long-enough-1")
        assert response.status_code == 422, (
            f"registering the invalid e-mail {bad_email!r} must answer 422, "
            f"got {response.status_code}: {response.text[:300]}"
        )
    for password in ("x" * 7, "y" * 65, ""):
        response = _register(client, unique_email("badpw"), password)
        assert response.status_code == 422, (
            f"a password of {len(password)} characters must answer 422 (8 to 64 allowed), "
            f"got {response.status_code}: {response.text[:300]}"
        )
    for body in ({"password": "long-enough-1"}, {"email": unique_email("nopw")}, {}):
        response = client.post("/api/v1/auth/register", json=body)
        assert response.status_code == 422, (
            f"a registration body missing a field ({sorted(body)}) must answer 422, "
            f"got {response.status_code}"
        )
    for password in ("a" * 8, "b" * 64):
        response = _register(client, unique_email("edgepw"), password)
        assert response.status_code == 201, (
            f"a password of {len(password)} characters is within 8 to 64 and must be "
            f"accepted, got {response.status_code}: {response.text[:300]}"
        )


@pytest.mark.rule("security", "auth")
@pytest.mark.requirement("register-validation", "register-201", "token-password-flow")
def test_long_multibyte_password_accepted(client, unique_email, login, whoami):
    email = unique_email("multibyte")
    password = "pä" + "é" * 60 + "ß1"  # 64 characters, well over 72 bytes of UTF-8
    assert len(password) == 64
    response = _register(client, email, password)
    assert response.status_code == 201, (
        "a 64-character password is within the allowed 8 to 64 characters, whatever its "
        f"size in bytes; got {response.status_code}: {response.text[:300]}"
    )
    assert whoami(login(email, password)).get("email") == email
    wrong = client.post(
        "/api/v1/auth/token", data={"username": email, "password": password[:-1] + "2"}
    )
    assert wrong.status_code == 401, (
        f"a different 64-character password must not log in, got {wrong.status_code}"
    )


@pytest.mark.rule("security", "errors")
@pytest.mark.requirement("no-password-in-responses")
def test_validation_errors_do_not_echo_password(client, unique_email):
    marker = uuid.uuid4().hex[:6]
    attempts = [
        ("POST", "/api/v1/auth/register", {"json": {"email": unique_email(), "password": f"S{marker}"}}),
        ("POST", "/api/v1/auth/register", {"json": {"email": unique_email(), "password": f"L{marker}" * 11}}),
        ("POST", "/api/v1/auth/register", {"json": {"email": "nope", "password": f"Ok-{marker}-pw"}}),
        ("POST", "/api/v1/auth/register", {"json": {"password": f"Ok-{marker}-nomail"}}),
        ("POST", "/api/v1/auth/register", {"json": {"email": unique_email(), "password": 12345678}}),
        ("POST", "/api/v1/auth/token", {"data": {"password": f"Ok-{marker}-form"}}),
    ]
    for method, url, request in attempts:
        response = client.request(method, url, **request)
        expected = (422,) if url.endswith("/register") else (401, 422)
        assert response.status_code in expected, (
            f"{method} {url} with {request!r} must be refused, got {response.status_code}"
        )
        body = request.get("json") or request.get("data")
        password = str(body["password"])
        assert password not in response.text, (
            f"the 422 response to {method} {url} echoes the submitted password "
            f"{password!r}: {response.text[:400]}"
        )


@pytest.mark.rule("security", "database")
@pytest.mark.requirement("store-hash-passwords")
def test_password_not_stored_in_plaintext(client, db, unique_email):
    email = unique_email("stored")
    password = f"Pw-{uuid.uuid4().hex[:16]}"
    response = _register(client, email, password)
    assert response.status_code == 201, response.text[:300]
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert rows, "the database named by DATABASE_URL must hold the app's tables"
    found = False
    for (table,) in rows:
        for row in db.execute(f'SELECT * FROM "{table}"').fetchall():
            found = found or any(email == str(value).lower() for value in row)
    assert found, f"the account {email} must be stored in the database named by DATABASE_URL"
    assert_plaintext_absent(db, password)


# --- tokens -----------------------------------------------------------------------------


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("token-password-flow", "token-hs256-expiry")
def test_token_is_hs256_jwt_with_expiry(client, make_user, whoami, user_password):
    user = make_user("jwt")
    response = client.post(
        "/api/v1/auth/token",
        data={"username": user.email, "password": user_password, "grant_type": "password"},
    )
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert body.get("token_type") == "bearer", f"token_type must be 'bearer', got {body!r}"
    token = body.get("access_token")
    assert jwt.get_unverified_header(token).get("alg") == "HS256", (
        f"tokens must be signed with HS256, header {jwt.get_unverified_header(token)!r}"
    )
    claims = jwt.decode(
        token,
        os.environ["JWT_SECRET_KEY"],
        algorithms=["HS256"],
        options={"require": ["exp"]},
    )
    assert isinstance(claims.get("exp"), int | float), f"the token needs an expiry: {claims!r}"
    assert whoami(token).get("id") == user.id


@pytest.mark.rule("auth")
@pytest.mark.requirement("token-wrong-credentials-401", "no-password-in-responses")
def test_token_unknown_email_401(client, unique_email):
    response = client.post(
        "/api/v1/auth/token", data={"username": unique_email("ghost"), "password": "whatever-1"}
    )
    assert response.status_code == 401, (
        f"an unknown e-mail at the token endpoint must answer 401, got {response.status_code}"
    )
    assert "access_token" not in response.text


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("users-me", "no-password-in-responses")
def test_users_me_returns_caller(client, make_user, user_password):
    user = make_user("me")
    response = client.get("/api/v1/users/me", headers=user.headers)
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    expected = {"id": user.id, "email": user.email, "role": "user"}
    assert {key: body.get(key) for key in expected} == expected, (
        f"GET /users/me must answer the caller's id, email and role only, got {body!r}"
    )
    assert user_password not in response.text


def _routes(note_id: int, user_id: int) -> list[tuple[str, str, dict | None]]:
    return [
        ("GET", "/api/v1/users/me", None),
        ("GET", "/api/v1/notes", None),
        ("POST", "/api/v1/notes", {"title": "t", "content": "c"}),
        ("GET", f"/api/v1/notes/{note_id}", None),
        ("PUT", f"/api/v1/notes/{note_id}", {"title": "t", "content": "c"}),
        ("PATCH", f"/api/v1/notes/{note_id}", {"title": "t"}),
        ("DELETE", f"/api/v1/notes/{note_id}", None),
        ("GET", "/api/v1/admin/users", None),
        ("GET", "/api/v1/admin/notes", None),
        ("PATCH", f"/api/v1/admin/users/{user_id}/role", {"role": "admin"}),
    ]


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("bearer-401", "admin-only", "note-foreign-404")
def test_every_route_rejects_missing_and_invalid_tokens(client, admin, make_user, make_note):
    owner = make_user("owner")
    note = make_note(owner)
    secret = os.environ["JWT_SECRET_KEY"]
    findings = []
    subs = (str(admin.id), admin.email)  # whichever form the app puts in sub
    for method, url, body in _routes(note["id"], owner.id):
        tokens = {
            "no": None,
            "a 'Token'-scheme": f"Token {admin.token}",
            **{f"an expired ({sub})": f"Bearer {expired_token(secret, sub)}" for sub in subs},
            **{f"an alg none ({sub})": f"Bearer {alg_none_token(claims_for(sub))}" for sub in subs},
        }
        if url == "/api/v1/users/me":  # every forgery, on one route
            for sub in subs:
                tokens.update(
                    {f"a {k} ({sub})": f"Bearer {v}" for k, v in forged_tokens(secret, sub).items()}
                )
                no_sub = token_signed_with(secret, {"exp": claims_for(sub)["exp"]})
                tokens[f"a sub-less ({sub})"] = f"Bearer {no_sub}"
        for label, authorization in tokens.items():
            headers = {} if authorization is None else {"Authorization": authorization}
            response = client.request(method, url, json=body, headers=headers)
            if (problem := rejection_problem(response)) is not None:
                findings.append(f"{method} {url} with {label} token: {problem}")
    assert not findings, "every route needs a valid bearer token:\n" + "\n".join(findings)
    current = client.get(f"/api/v1/notes/{note['id']}", headers=owner.headers)
    assert current.status_code == 200 and current.json() == note, (
        f"refused requests must change nothing, the note is now {current.text[:300]}"
    )
    assert client.get("/api/v1/users/me", headers=owner.headers).json().get("role") == "user"


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("bearer-401")
def test_token_for_unknown_account_rejected(client):
    secret = os.environ["JWT_SECRET_KEY"]
    for sub in ("987654321", "nobody-at-all@example.com"):
        token = token_signed_with(secret, claims_for(sub))
        for method, url in (("GET", "/api/v1/users/me"), ("GET", "/api/v1/notes")):
            assert_requires_auth(client, method, url, token=token)
        unsigned = alg_none_token(claims_for(sub))
        assert_requires_auth(client, "GET", "/api/v1/users/me", token=unsigned)


# --- notes ------------------------------------------------------------------------------


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("note-fields", "note-create")
def test_note_create_validates_title_and_content(client, make_user):
    user = make_user("validate")
    bad = [
        {"title": "", "content": "x"},
        {"title": "t" * 201, "content": "x"},
        {"content": "no title"},
        {"title": None, "content": "x"},
        {"title": "ok", "content": "c" * 10001},
        {"title": "ok", "content": 123},
        {"title": "ok", "content": None},
    ]
    for body in bad:
        response = client.post("/api/v1/notes", json=body, headers=user.headers)
        assert response.status_code == 422, (
            f"POST /api/v1/notes with {str(body)[:80]} must answer 422, got {response.status_code}"
        )
    assert list_items(client.get("/api/v1/notes", headers=user.headers).json()) == [], (
        "rejected notes must not be stored"
    )
    edge = client.post(
        "/api/v1/notes", json={"title": "t" * 200, "content": "c" * 10000}, headers=user.headers
    )
    assert edge.status_code == 201, (
        f"a 200-character title with 10000 characters of content is allowed, got "
        f"{edge.status_code}: {edge.text[:200]}"
    )
    assert edge.json().get("title") == "t" * 200 and edge.json().get("content") == "c" * 10000
    short = client.post("/api/v1/notes", json={"title": "x"}, headers=user.headers)
    assert short.status_code == 201, f"content is optional on create, got {short.status_code}"
    note = short.json()
    assert NOTE_KEYS <= set(note), f"a note is {sorted(NOTE_KEYS)}, got {note!r}"
    assert note["content"] == "" and isinstance(note["id"], int) and note["owner_id"] == user.id
    empty = client.post("/api/v1/notes", json={"title": "y", "content": ""}, headers=user.headers)
    assert empty.status_code == 201 and empty.json().get("content") == ""


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("note-fields", "note-put", "note-patch")
def test_note_update_validates_bodies(client, make_user, make_note):
    user = make_user("upd")
    note = make_note(user, title="keep", content="kept")
    url = f"/api/v1/notes/{note['id']}"
    for body in (
        {"title": "only title"},
        {"content": "only content"},
        {"title": "", "content": "x"},
        {"title": "t" * 201, "content": "x"},
        {"title": "ok", "content": "c" * 10001},
    ):
        response = client.put(url, json=body, headers=user.headers)
        assert response.status_code == 422, (
            f"PUT with {str(body)[:80]} must answer 422 (title and content both required "
            f"and valid), got {response.status_code}"
        )
    for body in ({"title": ""}, {"title": "t" * 201}, {"content": "c" * 10001}):
        response = client.patch(url, json=body, headers=user.headers)
        assert response.status_code == 422, (
            f"PATCH with {str(body)[:80]} must answer 422, got {response.status_code}"
        )
    edge = client.put(url, json={"title": "T" * 200, "content": ""}, headers=user.headers)
    assert edge.status_code == 200 and edge.json().get("content") == "", edge.text[:200]
    patched = client.patch(url, json={"title": "new"}, headers=user.headers)
    assert patched.status_code == 200, patched.text[:200]
    assert patched.json() == {**note, "title": "new", "content": ""}, (
        f"PATCH must change only the title, got {patched.json()!r}"
    )
    # Both ends of each stated range are accepted by PUT and PATCH alike.
    for method, body in (
        ("PUT", {"title": "x", "content": "c" * 10000}),
        ("PATCH", {"title": "y"}),
        ("PATCH", {"title": "u" * 200}),
        ("PATCH", {"content": "d" * 10000}),
        ("PATCH", {"content": ""}),
    ):
        response = client.request(method, url, json=body, headers=user.headers)
        assert response.status_code == 200, (
            f"{method} with {str(body)[:80]} is within the stated limits (title 1 to 200, "
            f"content at most 10000 characters), got {response.status_code}: "
            f"{response.text[:200]}"
        )
        assert {key: response.json().get(key) for key in body} == body, response.text[:200]


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("note-fields", "note-patch")
def test_patch_with_null_fields_keeps_the_note_valid(client, make_user, make_note):
    # null is not a 1-200 character title nor a string content: refusing it (422) or
    # treating it as not sent (200) both keep the note as it was; storing it does not.
    user = make_user("nulls")
    note = make_note(user, title="kept title", content="kept content")
    url = f"/api/v1/notes/{note['id']}"
    for body in ({"title": None}, {"content": None}, {"title": None, "content": None}):
        response = client.patch(url, json=body, headers=user.headers)
        assert response.status_code in (200, 422), (
            f"PATCH with {body!r} must be refused (422) or ignore the nulls (200), got "
            f"{response.status_code}: {response.text[:200]}"
        )
        current = client.get(url, headers=user.headers)
        assert current.status_code == 200 and current.json() == note, (
            f"PATCH with {body!r} must leave the note as it was, got {current.text[:200]}"
        )


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("note-owner-id-ignored")
def test_body_id_is_ignored(client, make_user, make_note):
    user = make_user("ids")
    taken = make_note(user, title="other")
    created = client.post(
        "/api/v1/notes",
        json={"title": "x", "content": "y", "id": taken["id"]},
        headers=user.headers,
    )
    assert created.status_code == 201, f"an extra id must be ignored, got {created.status_code}"
    assert created.json().get("id") != taken["id"]
    note = created.json()
    url = f"/api/v1/notes/{note['id']}"
    put = client.put(url, json={"title": "p", "content": "q", "id": 987654}, headers=user.headers)
    assert put.status_code == 200 and put.json().get("id") == note["id"], put.text[:200]
    patch = client.patch(url, json={"content": "r", "id": 987655}, headers=user.headers)
    assert patch.status_code == 200 and patch.json().get("id") == note["id"], patch.text[:200]
    assert client.get(url, headers=user.headers).json() == {**note, "title": "p", "content": "r"}
    untouched = client.get(f"/api/v1/notes/{taken['id']}", headers=user.headers)
    assert untouched.json() == taken, "a smuggled id must not touch another note"


@pytest.mark.rule("auth", "api-design")
@pytest.mark.requirement("note-list-own", "note-get")
def test_new_user_lists_no_notes(client, make_user, make_note):
    user = make_user("fresh")
    response = client.get("/api/v1/notes", headers=user.headers)
    assert response.status_code == 200 and list_items(response.json()) == [], response.text[:200]
    note = make_note(user, title="first", content="body")
    listed = list_items(client.get("/api/v1/notes", headers=user.headers).json())
    assert listed == [note], f"the list must hold exactly the caller's note, got {listed!r}"
    read = client.get(f"/api/v1/notes/{note['id']}", headers=user.headers)
    assert read.status_code == 200 and read.json() == note, read.text[:200]


@pytest.mark.rule("auth")
@pytest.mark.requirement("note-admin-moderates")
def test_admin_can_replace_any_note_keeping_owner(client, admin, make_user, make_note):
    owner = make_user("owner")
    note = make_note(owner)
    url = f"/api/v1/notes/{note['id']}"
    put = client.put(url, json={"title": "moderated", "content": ""}, headers=admin.headers)
    assert put.status_code == 200, f"an admin may replace any note, got {put.status_code}"
    assert put.json() == {**note, "title": "moderated", "content": ""}, put.json()
    assert client.get(url, headers=owner.headers).json().get("owner_id") == owner.id
    admins_list = list_items(client.get("/api/v1/notes", headers=admin.headers).json())
    assert note["id"] not in {item.get("id") for item in admins_list}, (
        "a note an admin moderated is still the owner's, not the admin's"
    )


# --- administration ---------------------------------------------------------------------


@pytest.mark.rule("api-design", "errors")
@pytest.mark.requirement("admin-set-role")
def test_change_role_answers_updated_account(client, admin, make_user, whoami):
    user = make_user("roles")
    url = f"/api/v1/admin/users/{user.id}/role"
    for bad in ("root", "Admin", "USER", "", None, 1, ["admin"]):
        response = client.patch(url, json={"role": bad}, headers=admin.headers)
        assert response.status_code == 422, (
            f"role {bad!r} is neither 'user' nor 'admin': expected 422, got {response.status_code}"
        )
    assert client.patch(url, json={}, headers=admin.headers).status_code == 422
    assert whoami(user.token).get("role") == "user", "a refused role change changes nothing"
    for role in ("admin", "user", "user"):
        response = client.patch(url, json={"role": role}, headers=admin.headers)
        assert response.status_code == 200, response.text[:200]
        expected = {"id": user.id, "email": user.email, "role": role}
        assert {key: response.json().get(key) for key in expected} == expected, (
            f"the role change must answer the updated account, got {response.json()!r}"
        )
        assert whoami(user.token).get("role") == role
    listed = list_items(client.get("/api/v1/admin/users", headers=admin.headers).json())
    entry = next(item for item in listed if item.get("id") == user.id)
    assert (entry.get("email"), entry.get("role")) == (user.email, "user"), entry


@pytest.mark.rule("api-design")
@pytest.mark.requirement("admin-list-notes", "admin-list-users")
def test_admin_listings_have_stated_shapes(client, admin, make_user, make_note):
    user = make_user("shape")
    note = make_note(user, title="shape", content="c")
    users = client.get("/api/v1/admin/users", headers=admin.headers)
    assert users.status_code == 200 and isinstance(users.json(), list), users.text[:200]
    for item in users.json():
        assert ACCOUNT_KEYS <= set(item), f"each account is {sorted(ACCOUNT_KEYS)}: {item!r}"
    notes = client.get("/api/v1/admin/notes", headers=admin.headers)
    assert notes.status_code == 200 and isinstance(notes.json(), list), notes.text[:200]
    assert note in notes.json(), f"GET /admin/notes must list {note!r} as it is"
