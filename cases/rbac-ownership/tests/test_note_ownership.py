"""Horizontal access: a note belongs to its owner; other users cannot see or touch it."""

from __future__ import annotations

import pytest
from evals_runtime.probes.access import (
    assert_list_excludes,
    assert_requires_auth,
    assert_resource_isolated,
    list_items,
)

# The contract: another user's note "does not exist" for the caller.
HIDDEN = (404,)


def _url(note: dict) -> str:
    return f"/api/v1/notes/{note['id']}"


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("note-create", "note-get", "note-put", "note-patch", "note-delete")
def test_owner_can_create_read_update_delete_note(client, make_user):
    owner = make_user()
    created = client.post(
        "/api/v1/notes", json={"title": "Plan", "content": "v1"}, headers=owner.headers
    )
    assert created.status_code == 201, (
        f"POST /api/v1/notes must answer 201, got {created.status_code}: {created.text[:300]}"
    )
    note = created.json()
    assert note.get("title") == "Plan" and note.get("content") == "v1", note
    assert note.get("owner_id") == owner.id, (
        f"the note's owner_id must be the caller ({owner.id}), got {note!r}"
    )
    url = _url(note)
    read = client.get(url, headers=owner.headers)
    assert read.status_code == 200 and read.json().get("id") == note["id"], read.text[:300]
    replaced = client.put(url, json={"title": "Plan B", "content": "v2"}, headers=owner.headers)
    assert replaced.status_code == 200, f"PUT must answer 200, got {replaced.status_code}"
    assert replaced.json().get("title") == "Plan B" and replaced.json().get("content") == "v2"
    patched = client.patch(url, json={"content": "v3"}, headers=owner.headers)
    assert patched.status_code == 200, f"PATCH must answer 200, got {patched.status_code}"
    assert patched.json().get("title") == "Plan B" and patched.json().get("content") == "v3", (
        f"PATCH must change only the fields sent, got {patched.json()!r}"
    )
    deleted = client.delete(url, headers=owner.headers)
    assert deleted.status_code == 204, f"DELETE must answer 204, got {deleted.status_code}"
    assert not deleted.content, "a 204 response must have no body"
    gone = client.get(url, headers=owner.headers)
    assert gone.status_code == 404, f"a deleted note must be 404, got {gone.status_code}"


@pytest.mark.rule("auth")
@pytest.mark.requirement("bearer-401")
def test_notes_require_authentication(client, make_user, make_note):
    note = make_note(make_user())
    assert_requires_auth(client, "GET", "/api/v1/notes")
    assert_requires_auth(client, "POST", "/api/v1/notes", json={"title": "t", "content": ""})
    assert_requires_auth(client, "GET", _url(note))
    assert_requires_auth(client, "DELETE", _url(note))


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("note-create", "note-owner-id-ignored")
def test_note_owner_is_caller_not_body(client, make_user):
    alice, mallory = make_user("alice"), make_user("mallory")
    response = client.post(
        "/api/v1/notes",
        json={"title": "planted", "content": "x", "owner_id": alice.id},
        headers=mallory.headers,
    )
    assert response.status_code == 201, (
        f"an extra owner_id must be ignored, not refused: got {response.status_code}"
    )
    assert response.json().get("owner_id") == mallory.id, (
        "a note's owner must be the caller, never the owner_id sent in the body: "
        f"got owner_id {response.json().get('owner_id')} (caller {mallory.id}, "
        f"body {alice.id})"
    )
    assert_list_excludes(client, "/api/v1/notes", alice.token, [response.json()["id"]])


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("note-owner-id-ignored")
def test_update_cannot_transfer_ownership(client, make_user, make_note):
    owner, other = make_user("owner"), make_user("other")
    note = make_note(owner)
    url = _url(note)
    put = client.put(
        url,
        json={"title": "t2", "content": "c2", "owner_id": other.id},
        headers=owner.headers,
    )
    assert put.status_code == 200, f"PUT must answer 200, got {put.status_code}"
    patch = client.patch(url, json={"owner_id": other.id}, headers=owner.headers)
    assert patch.status_code == 200, f"PATCH must answer 200, got {patch.status_code}"
    current = client.get(url, headers=owner.headers)
    assert current.status_code == 200 and current.json().get("owner_id") == owner.id, (
        f"PUT/PATCH must not change a note's owner, got {current.status_code}: {current.text[:300]}"
    )
    assert client.get(url, headers=other.headers).status_code == 404, (
        "a note must not become visible to the user named in a smuggled owner_id"
    )


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("note-list-own")
def test_list_notes_shows_only_own(client, make_user, make_note):
    alice, bob = make_user("alice"), make_user("bob")
    mine = make_note(alice, title="alice 1")
    theirs = [make_note(bob, title="bob 1"), make_note(bob, title="bob 2")]
    items = assert_list_excludes(client, "/api/v1/notes", alice.token, [n["id"] for n in theirs])
    ids = {item.get("id") for item in items}
    assert mine["id"] in ids, f"GET /api/v1/notes must list the caller's own note {mine['id']}"
    assert all(item.get("owner_id") == alice.id for item in items), (
        f"GET /api/v1/notes must hold only the caller's notes, got {items!r}"
    )


@pytest.mark.rule("auth")
@pytest.mark.requirement("note-list-own")
def test_admin_notes_listing_is_own_only(client, admin, make_user, make_note):
    users_note = make_note(make_user())
    admins_note = make_note(admin, title="admin's own")
    items = assert_list_excludes(client, "/api/v1/notes", admin.token, [users_note["id"]])
    assert admins_note["id"] in {item.get("id") for item in items}, (
        "GET /api/v1/notes must list the admin's own notes"
    )


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("note-foreign-404")
def test_other_user_cannot_read_note_404(client, make_user, make_note):
    owner, intruder = make_user("owner"), make_user("intruder")
    note = make_note(owner)
    assert_resource_isolated(
        client,
        _url(note),
        owner_token=owner.token,
        intruder_token=intruder.token,
        methods=("GET",),
        allowed_statuses=HIDDEN,
    )


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("note-foreign-404")
def test_other_user_cannot_replace_note_404(client, make_user, make_note):
    owner, intruder = make_user("owner"), make_user("intruder")
    note = make_note(owner)
    assert_resource_isolated(
        client,
        _url(note),
        owner_token=owner.token,
        intruder_token=intruder.token,
        put_body={"title": "defaced", "content": "pwned"},
        methods=("PUT",),
        allowed_statuses=HIDDEN,
    )


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("note-foreign-404")
def test_other_user_cannot_patch_note_404(client, make_user, make_note):
    owner, intruder = make_user("owner"), make_user("intruder")
    note = make_note(owner)
    assert_resource_isolated(
        client,
        _url(note),
        owner_token=owner.token,
        intruder_token=intruder.token,
        patch_body={"content": "pwned"},
        methods=("PATCH",),
        allowed_statuses=HIDDEN,
    )


@pytest.mark.rule("auth", "security")
@pytest.mark.requirement("note-foreign-404")
def test_other_user_cannot_delete_note_404(client, make_user, make_note):
    owner, intruder = make_user("owner"), make_user("intruder")
    note = make_note(owner)
    assert_resource_isolated(
        client,
        _url(note),
        owner_token=owner.token,
        intruder_token=intruder.token,
        methods=("DELETE",),
        allowed_statuses=HIDDEN,
    )


@pytest.mark.rule("auth", "errors")
@pytest.mark.requirement("note-foreign-404")
def test_foreign_note_indistinguishable_from_missing(client, make_user, make_note):
    owner, intruder = make_user("owner"), make_user("intruder")
    note = make_note(owner)
    foreign = client.get(_url(note), headers=intruder.headers)
    missing = client.get("/api/v1/notes/987654321", headers=intruder.headers)
    assert missing.status_code == 404, f"an unknown note id must be 404, got {missing.status_code}"
    assert foreign.status_code == missing.status_code, (
        "another user's note must look exactly like a missing one: got "
        f"{foreign.status_code} for it and {missing.status_code} for an unknown id"
    )


@pytest.mark.rule("auth")
@pytest.mark.requirement("note-admin-moderates")
def test_admin_can_moderate_any_note(client, admin, make_user, make_note):
    owner = make_user("owner")
    note = make_note(owner, title="spam", content="buy now")
    url = _url(note)
    read = client.get(url, headers=admin.headers)
    assert read.status_code == 200, f"an admin must read any note, got {read.status_code}"
    patched = client.patch(url, json={"content": "[removed]"}, headers=admin.headers)
    assert patched.status_code == 200, f"an admin must update any note, got {patched.status_code}"
    assert patched.json().get("owner_id") == owner.id, (
        f"an admin's edit must keep the note's owner, got {patched.json()!r}"
    )
    owners_view = client.get(url, headers=owner.headers)
    assert owners_view.status_code == 200 and owners_view.json().get("content") == "[removed]"
    deleted = client.delete(url, headers=admin.headers)
    assert deleted.status_code == 204, f"an admin must delete any note, got {deleted.status_code}"
    assert client.get(url, headers=owner.headers).status_code == 404
    assert note["id"] not in {
        n.get("id") for n in list_items(client.get("/api/v1/notes", headers=owner.headers).json())
    }
