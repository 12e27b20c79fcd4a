"""Pass-to-pass: every route answers exactly as the single-file app did."""

from __future__ import annotations

import pytest
from conftest import ITEM_FIELDS, ITEMS, USER_FIELDS, USERS, expect


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("behaviour-unchanged")
def test_create_user_returns_201(client, unique_email):
    email = unique_email("create")
    body = expect(
        client.post(USERS, json={"email": email, "full_name": "Grace Hopper"}), 201, "POST users"
    )
    assert set(body) == USER_FIELDS, f"user fields must stay {sorted(USER_FIELDS)}, got {body}"
    assert (body["email"], body["full_name"], body["is_active"]) == (email, "Grace Hopper", True), (
        f"unexpected user body {body}"
    )


@pytest.mark.rule("errors")
@pytest.mark.requirement("behaviour-unchanged")
def test_duplicate_user_is_409(client, create_user):
    user = create_user()
    response = client.post(USERS, json={"email": user["email"], "full_name": "Someone Else"})
    assert response.status_code == 409 and response.json() == {
        "detail": "A user with this email already exists"
    }, (
        f"duplicate e-mail: expected the same 409 as before, got {response.status_code} "
        f"{response.text}"
    )


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("behaviour-unchanged")
def test_invalid_user_is_422(client, unique_email):
    for body in (
        {"email": "not-an-email", "full_name": "X"},
        {"email": unique_email("blank"), "full_name": ""},
        {"full_name": "No Email"},
    ):
        response = client.post(USERS, json=body)
        assert response.status_code == 422, (
            f"POST {USERS} {body}: expected 422, got {response.status_code}"
        )


@pytest.mark.rule("api-design", "errors")
@pytest.mark.requirement("behaviour-unchanged")
def test_get_user_and_unknown_user(client, create_user):
    user = create_user("Katherine Johnson")
    assert expect(client.get(f"{USERS}/{user['id']}"), 200, "GET user") == user, (
        "GET /api/v1/users/{id} must return the created user unchanged"
    )
    missing = client.get(f"{USERS}/987654321")
    assert missing.status_code == 404 and missing.json() == {"detail": "User not found"}, (
        f"unknown user: expected 404 {{'detail': 'User not found'}}, got {missing.status_code} "
        f"{missing.text}"
    )


@pytest.mark.rule("api-design")
@pytest.mark.requirement("behaviour-unchanged")
def test_list_users_paginates_by_id(client, create_user):
    first = create_user("List One")
    second = create_user("List Two")
    everything = expect(client.get(USERS, params={"limit": 100}), 200, "GET users")
    ids = [u["id"] for u in everything]
    assert ids == sorted(ids) and first["id"] in ids and second["id"] in ids, (
        f"GET {USERS} must list users ordered by id, including new ones; got ids {ids}"
    )
    position = ids.index(first["id"])
    page = expect(
        client.get(USERS, params={"limit": 1, "offset": position + 1}), 200, "GET users page"
    )
    assert [u["id"] for u in page] == [second["id"]], (
        f"limit/offset must page through users by id, got {page}"
    )
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        response = client.get(USERS, params=params)
        assert response.status_code == 422, (
            f"GET {USERS} {params}: expected 422, got {response.status_code}"
        )


@pytest.mark.rule("api-design", "errors")
@pytest.mark.requirement("behaviour-unchanged")
def test_list_user_items(client, create_user, create_item):
    owner = create_user("Owner Of Things")
    other = create_user("Other Owner")
    mine = [create_item(owner["id"], "Lamp"), create_item(owner["id"], "Chair")]
    create_item(other["id"], "Not Mine")
    listed = expect(client.get(f"{USERS}/{owner['id']}/items"), 200, "GET user items")
    assert listed == mine, (
        f"GET {USERS}/{{id}}/items must list exactly the user's items by id, got {listed}"
    )
    missing = client.get(f"{USERS}/987654321/items")
    assert missing.status_code == 404 and missing.json() == {"detail": "User not found"}, (
        f"items of an unknown user: expected 404, got {missing.status_code} {missing.text}"
    )


@pytest.mark.rule("api-design", "errors")
@pytest.mark.requirement("behaviour-unchanged")
def test_create_item_and_unknown_owner(client, create_user):
    owner = create_user()
    body = {
        "title": "Bookshelf",
        "description": "Oak",
        "price_cents": 12900,
        "owner_id": owner["id"],
    }
    item = expect(client.post(ITEMS, json=body), 201, "POST items")
    assert set(item) == ITEM_FIELDS, f"item fields must stay {sorted(ITEM_FIELDS)}, got {item}"
    assert {k: item[k] for k in body} == body, f"the created item must echo its fields, got {item}"
    orphan = client.post(ITEMS, json={**body, "owner_id": 987654321})
    assert orphan.status_code == 404 and orphan.json() == {"detail": "Owner not found"}, (
        f"unknown owner: expected 404 {{'detail': 'Owner not found'}}, got {orphan.status_code} "
        f"{orphan.text}"
    )
    invalid = client.post(ITEMS, json={**body, "price_cents": -1})
    assert invalid.status_code == 422, f"negative price: expected 422, got {invalid.status_code}"


@pytest.mark.rule("api-design")
@pytest.mark.requirement("behaviour-unchanged")
def test_list_items_filters_by_owner(client, create_user, create_item):
    owner = create_user("Filter Owner")
    items = [create_item(owner["id"], f"Filtered {i}") for i in range(3)]
    filtered = expect(
        client.get(ITEMS, params={"owner_id": owner["id"]}), 200, "GET items?owner_id"
    )
    assert filtered == items, (
        f"GET {ITEMS}?owner_id= must return exactly that owner's items, got {filtered}"
    )
    page = expect(
        client.get(ITEMS, params={"owner_id": owner["id"], "limit": 1, "offset": 1}), 200, "page"
    )
    assert page == items[1:2], f"limit/offset must apply to the filtered list, got {page}"


@pytest.mark.rule("api-design", "errors")
@pytest.mark.requirement("behaviour-unchanged")
def test_get_item_and_unknown_item(client, create_user, create_item):
    item = create_item(create_user()["id"], "Fetched")
    assert expect(client.get(f"{ITEMS}/{item['id']}"), 200, "GET item") == item, (
        "GET /api/v1/items/{id} must return the created item unchanged"
    )
    missing = client.get(f"{ITEMS}/987654321")
    assert missing.status_code == 404 and missing.json() == {"detail": "Item not found"}, (
        f"unknown item: expected 404 {{'detail': 'Item not found'}}, got {missing.status_code}"
    )


@pytest.mark.rule("api-design", "database")
@pytest.mark.requirement("behaviour-unchanged")
def test_patch_item_is_partial(client, create_user, create_item):
    item = create_item(create_user()["id"], "Before", description="keep me")
    updated = expect(
        client.patch(f"{ITEMS}/{item['id']}", json={"price_cents": 500}), 200, "PATCH item"
    )
    assert updated == {**item, "price_cents": 500}, (
        f"PATCH must change only the fields sent, got {updated} from {item}"
    )
    assert expect(client.get(f"{ITEMS}/{item['id']}"), 200, "GET item") == updated, (
        "the PATCH must be persisted"
    )
    missing = client.patch(f"{ITEMS}/987654321", json={"title": "x"})
    assert missing.status_code == 404, (
        f"PATCH unknown item: expected 404, got {missing.status_code}"
    )
    invalid = client.patch(f"{ITEMS}/{item['id']}", json={"price_cents": -5})
    assert invalid.status_code == 422, (
        f"PATCH with a negative price: expected 422, got {invalid.status_code}"
    )


@pytest.mark.rule("api-design", "database")
@pytest.mark.requirement("behaviour-unchanged")
def test_delete_item_is_204_then_404(client, create_user, create_item):
    item = create_item(create_user()["id"], "Doomed")
    deleted = client.delete(f"{ITEMS}/{item['id']}")
    assert deleted.status_code == 204 and deleted.content == b"", (
        f"DELETE must still answer 204 with an empty body, got {deleted.status_code} "
        f"{deleted.text[:100]}"
    )
    assert client.get(f"{ITEMS}/{item['id']}").status_code == 404, "a deleted item must be gone"
    again = client.delete(f"{ITEMS}/{item['id']}")
    assert again.status_code == 404 and again.json() == {"detail": "Item not found"}, (
        f"deleting it again: expected 404, got {again.status_code}"
    )


@pytest.mark.rule("database")
@pytest.mark.requirement("tables-unchanged", "main-wires-only")
def test_database_tables_unchanged(client, create_user, db):
    create_user()
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"users", "items"} <= tables, (
        f"the tables users and items must keep their names, got {tables}"
    )
    columns = {
        table: {row[1] for row in db.execute(f"PRAGMA table_info({table})")}  # noqa: S608
        for table in ("users", "items")
    }
    assert columns["users"] == {"id", "email", "full_name", "is_active", "created_at"}, (
        f"users columns changed: {columns['users']}"
    )
    assert columns["items"] == {
        "id",
        "title",
        "description",
        "price_cents",
        "owner_id",
        "created_at",
    }, f"items columns changed: {columns['items']}"


@pytest.mark.rule("api-design", "schemas", "database")
@pytest.mark.requirement("behaviour-unchanged")
def test_patch_item_sets_each_field_and_null_clears_description(client, create_user, create_item):
    item = create_item(create_user()["id"], "Original", description="Walnut", price_cents=700)
    url = f"{ITEMS}/{item['id']}"
    expected = dict(item)
    for change in (
        {"title": "Renamed"},
        {"description": None},
        {},
        {"description": "Cherry", "price_cents": 0},
        {"description": None, "title": "Again"},
    ):
        updated = expect(client.patch(url, json=change), 200, f"PATCH item {change}")
        expected.update(change)
        assert updated == expected, (
            f"PATCH {change} must set exactly the fields sent (null clears the description), "
            f"got {updated}, expected {expected}"
        )
        assert expect(client.get(url), 200, "GET item") == expected, (
            f"the PATCH {change} must be persisted"
        )


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("behaviour-unchanged")
def test_validation_limits_and_messages_unchanged(client, create_user, unique_email):
    owner = create_user()
    accepted = [
        (USERS, {"email": unique_email("limit"), "full_name": "x" * 100}),
        (ITEMS, {"title": "t" * 200, "description": "d" * 1000, "price_cents": 0,
                 "owner_id": owner["id"]}),
        (ITEMS, {"title": "t", "price_cents": 1, "owner_id": owner["id"]}),
    ]
    for url, body in accepted:
        created = expect(client.post(url, json=body), 201, f"POST {url} at the limits")
        assert {k: created[k] for k in body} == body, f"POST {url} must echo {body}: {created}"
        if url == ITEMS and "description" not in body:
            assert created["description"] is None, f"description defaults to null: {created}"
    rejected = [
        (USERS, {"email": unique_email("long"), "full_name": "x" * 101}, [
            {"type": "string_too_long", "loc": ["body", "full_name"],
             "msg": "String should have at most 100 characters", "input": "x" * 101,
             "ctx": {"max_length": 100}},
        ]),
        (ITEMS, {"title": "t" * 201, "description": "d" * 1001, "price_cents": -1,
                 "owner_id": owner["id"]}, [
            {"type": "string_too_long", "loc": ["body", "title"],
             "msg": "String should have at most 200 characters", "input": "t" * 201,
             "ctx": {"max_length": 200}},
            {"type": "string_too_long", "loc": ["body", "description"],
             "msg": "String should have at most 1000 characters", "input": "d" * 1001,
             "ctx": {"max_length": 1000}},
            {"type": "greater_than_equal", "loc": ["body", "price_cents"],
             "msg": "Input should be greater than or equal to 0", "input": -1, "ctx": {"ge": 0}},
        ]),
        (ITEMS, {"title": "", "price_cents": 5, "owner_id": owner["id"]}, [
            {"type": "string_too_short", "loc": ["body", "title"],
             "msg": "String should have at least 1 character", "input": "",
             "ctx": {"min_length": 1}},
        ]),
    ]
    for url, body, detail in rejected:
        response = client.post(url, json=body)
        assert response.status_code == 422 and response.json() == {"detail": detail}, (
            f"POST {url}: the validation error must stay {detail!r:.200}, got "
            f"{response.status_code} {response.text[:400]}"
        )


@pytest.mark.rule("api-design", "errors")
@pytest.mark.requirement("behaviour-unchanged")
def test_item_update_validation_and_list_bounds(client, create_user, create_item):
    item = create_item(create_user()["id"], "Bounded", description="Pine")
    url = f"{ITEMS}/{item['id']}"
    for change in ({"title": ""}, {"title": "t" * 201}, {"description": "d" * 1001}):
        response = client.patch(url, json=change)
        assert response.status_code == 422, (
            f"PATCH item {str(change)[:60]}: expected 422, got {response.status_code}"
        )
    assert expect(client.get(url), 200, "GET item") == item, "a rejected PATCH changes nothing"
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        response = client.get(ITEMS, params=params)
        assert response.status_code == 422, (
            f"GET {ITEMS} {params}: expected 422, got {response.status_code}"
        )
    listed = expect(client.get(ITEMS, params={"limit": 100}), 200, "GET items")
    ids = [i["id"] for i in listed]
    assert ids == sorted(ids), f"GET {ITEMS} must list items ordered by id, got {ids}"


@pytest.mark.rule("database")
@pytest.mark.requirement("tables-unchanged")
def test_users_email_stays_unique_in_database(client, create_user, db):
    create_user()
    unique_columns = []
    for row in db.execute("PRAGMA index_list(users)").fetchall():
        name, is_unique = row[1], row[2]
        if is_unique:
            info = db.execute(f"PRAGMA index_info({name!r})").fetchall()  # noqa: S608
            unique_columns.append([column[2] for column in info])
    assert ["email"] in unique_columns, (
        "the users table must keep its UNIQUE constraint on email (a duplicate insert that "
        f"passes the check must still fail); unique indexes found: {unique_columns}"
    )
