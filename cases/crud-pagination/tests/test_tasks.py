"""Hidden suite for crud-pagination: the tasks resource under /api/v1.

Tests share one database, so every test that lists tasks tags its own tasks with a unique
token in the title and filters with ``q=<token>``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

BASE = "/api/v1/tasks"


def _token() -> str:
    return f"tok{uuid.uuid4().hex[:12]}"


def _create(client: Any, **fields: Any) -> dict[str, Any]:
    body = {"title": f"task {_token()}", **fields}
    response = client.post(BASE, json=body)
    assert response.status_code == 201, (
        f"POST {BASE} with {body} should return 201, got {response.status_code}: "
        f"{response.text[:300]}"
    )
    return response.json()


def _list(client: Any, **params: Any) -> dict[str, Any]:
    response = client.get(BASE, params=params)
    assert response.status_code == 200, (
        f"GET {BASE} with {params} should return 200, got {response.status_code}: "
        f"{response.text[:300]}"
    )
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("items"), list), (
        f"the list must be an envelope {{items, total, limit, offset}}, got {body!r:.300}"
    )
    return body


def _ids(page: dict[str, Any]) -> list[int]:
    return [item["id"] for item in page["items"]]


def _instant(value: Any) -> datetime:
    """created_at as a comparable instant: naive timestamps are taken as UTC."""
    assert isinstance(value, str), f"created_at must be an ISO datetime string, got {value!r}"
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _same_created_at(a: Any, b: Any) -> bool:
    return abs((_instant(a) - _instant(b)).total_seconds()) < 1


def _assert_same_task(actual: dict[str, Any], expected: dict[str, Any], why: str) -> None:
    """Equal field by field; created_at compared as an instant (its rendering may vary)."""
    assert set(actual) == set(expected), (
        f"{why}: keys differ: {sorted(actual)} vs {sorted(expected)}"
    )
    for key, value in expected.items():
        if key == "created_at":
            assert _same_created_at(actual[key], value), (
                f"{why}: created_at changed: {value!r} -> {actual[key]!r}"
            )
        else:
            assert actual[key] == value, f"{why}: {key!r} is {actual[key]!r}, expected {value!r}"


# --- create / read ----------------------------------------------------------------------


@pytest.mark.rule("api-design", "schemas")
def test_create_returns_201_with_defaults(client):
    title = f"defaults {_token()}"
    response = client.post(BASE, json={"title": title})
    assert response.status_code == 201, f"POST should return 201, got {response.status_code}"
    task = response.json()
    expected = {
        "title": title,
        "description": None,
        "status": "todo",
        "priority": 3,
        "due_date": None,
    }
    for key, value in expected.items():
        assert task.get(key) == value, f"new task field {key!r}: expected {value!r}, got {task}"
    assert isinstance(task.get("id"), int), f"task must have an integer id, got {task}"
    assert isinstance(task.get("created_at"), str) and task["created_at"], (
        f"task must have a created_at timestamp, got {task}"
    )


@pytest.mark.rule("api-design", "database")
def test_get_returns_the_created_task(client):
    created = _create(
        client,
        description="details",
        status="in_progress",
        priority=5,
        due_date="2031-03-04",
    )
    response = client.get(f"{BASE}/{created['id']}")
    assert response.status_code == 200, (
        f"GET existing task should be 200, got {response.status_code}"
    )
    fetched = response.json()
    _assert_same_task(fetched, created, "GET must return what POST returned")
    assert fetched["due_date"] == "2031-03-04" and fetched["priority"] == 5


@pytest.mark.rule("errors", "schemas")
def test_create_rejects_invalid_fields(client):
    bad_bodies = [
        {},
        {"title": ""},
        {"title": "x" * 201},
        {"title": "ok", "priority": 0},
        {"title": "ok", "priority": 6},
        {"title": "ok", "status": "archived"},
        {"title": "ok", "due_date": "next tuesday"},
        {"title": "ok", "description": "d" * 2001},
    ]
    for body in bad_bodies:
        response = client.post(BASE, json=body)
        assert response.status_code == 422, (
            f"POST {body!r:.80} must be rejected with 422, got {response.status_code}"
        )


@pytest.mark.rule("errors")
def test_unknown_task_returns_404_detail(client):
    missing = 987_654_321
    for method in ("get", "delete"):
        response = getattr(client, method)(f"{BASE}/{missing}")
        assert response.status_code == 404, (
            f"{method.upper()} unknown task should be 404, got {response.status_code}"
        )
        assert response.json() == {"detail": "Task not found"}, (
            f"404 body must be exactly {{'detail': 'Task not found'}}, got {response.text}"
        )
    response = client.patch(f"{BASE}/{missing}", json={"title": "x"})
    assert response.status_code == 404, (
        f"PATCH unknown task should be 404, got {response.status_code}"
    )
    assert response.json() == {"detail": "Task not found"}
    response = client.put(f"{BASE}/{missing}", json={"title": "x"})
    assert response.status_code == 404, (
        f"PUT unknown task should be 404, got {response.status_code}"
    )
    assert response.json() == {"detail": "Task not found"}


@pytest.mark.rule("errors", "api-design")
def test_non_integer_id_returns_422(client):
    response = client.get(f"{BASE}/not-a-number")
    assert response.status_code == 422, (
        f"a non-integer task_id must be a 422, got {response.status_code}"
    )


# --- list: envelope and pagination ------------------------------------------------------


@pytest.mark.rule("api-design", "schemas")
def test_list_envelope_with_default_pagination(client):
    token = _token()
    created = [_create(client, title=f"{token} #{i}")["id"] for i in range(3)]
    page = _list(client, q=token)
    assert set(page) >= {"items", "total", "limit", "offset"}, (
        f"envelope keys must include items/total/limit/offset, got {sorted(page)}"
    )
    assert page["limit"] == 20, f"default limit must be 20, got {page['limit']}"
    assert page["offset"] == 0, f"default offset must be 0, got {page['offset']}"
    assert page["total"] == 3, f"total must count the 3 matching tasks, got {page['total']}"
    assert _ids(page) == created, f"default order is creation (id) order: {_ids(page)}"
    unfiltered = _list(client)
    assert unfiltered["limit"] == 20 and len(unfiltered["items"]) <= 20


@pytest.mark.rule("api-design", "database")
def test_list_limit_and_offset_walk_the_pages(client):
    token = _token()
    ids = [_create(client, title=f"{token} page {i}")["id"] for i in range(5)]
    first = _list(client, q=token, limit=2, offset=0)
    second = _list(client, q=token, limit=2, offset=2)
    last = _list(client, q=token, limit=2, offset=4)
    assert _ids(first) == ids[0:2], f"limit=2&offset=0 should be {ids[0:2]}, got {_ids(first)}"
    assert _ids(second) == ids[2:4], f"limit=2&offset=2 should be {ids[2:4]}, got {_ids(second)}"
    assert _ids(last) == ids[4:5], f"limit=2&offset=4 should be {ids[4:5]}, got {_ids(last)}"
    for page, offset in ((first, 0), (second, 2), (last, 4)):
        assert page["limit"] == 2 and page["offset"] == offset, (
            f"envelope must echo the applied limit/offset, got limit={page['limit']} "
            f"offset={page['offset']} for limit=2 offset={offset}"
        )


@pytest.mark.rule("api-design")
def test_list_total_counts_all_matches_not_the_page(client):
    token = _token()
    for i in range(4):
        _create(client, title=f"{token} {i}")
    page = _list(client, q=token, limit=1)
    assert len(page["items"]) == 1, f"limit=1 must return one item, got {len(page['items'])}"
    assert page["total"] == 4, (
        f"total is the number of matching tasks (4), not the page size; got {page['total']}"
    )
    beyond = _list(client, q=token, offset=50)
    assert beyond["items"] == [], f"offset past the end must give no items, got {beyond['items']}"
    assert beyond["total"] == 4, f"total must stay 4 past the end, got {beyond['total']}"


@pytest.mark.rule("api-design", "errors")
def test_list_limit_and_offset_bounds(client):
    for params in ({"limit": 101}, {"limit": 0}, {"limit": 1000}, {"offset": -1}):
        response = client.get(BASE, params=params)
        assert response.status_code == 422, (
            f"GET {BASE} with {params} must be a 422 (not clamped), got {response.status_code}"
        )
    page = _list(client, limit=100)
    assert page["limit"] == 100, f"limit=100 is allowed and must be echoed, got {page['limit']}"


# --- list: filtering and sorting --------------------------------------------------------


@pytest.mark.rule("api-design")
def test_list_filters_by_status(client):
    token = _token()
    todo = _create(client, title=f"{token} a")["id"]
    done = _create(client, title=f"{token} b", status="done")["id"]
    doing = _create(client, title=f"{token} c", status="in_progress")["id"]
    assert _ids(_list(client, q=token, status="done")) == [done]
    assert _ids(_list(client, q=token, status="in_progress")) == [doing]
    todo_page = _list(client, q=token, status="todo")
    assert _ids(todo_page) == [todo] and todo_page["total"] == 1, (
        f"status=todo must match only the todo task, got {todo_page}"
    )
    response = client.get(BASE, params={"status": "archived"})
    assert response.status_code == 422, (
        f"an invalid status filter must be a 422, got {response.status_code}"
    )


@pytest.mark.rule("api-design", "database")
def test_list_search_is_case_insensitive_substring(client):
    token = _token()
    hit1 = _create(client, title=f"Buy MILK {token}")["id"]
    hit2 = _create(client, title=f"{token} milkshake recipe")["id"]
    _create(client, title=f"{token} buy bread")
    upper = _list(client, q=token.upper())
    assert upper["total"] == 3, (
        f"q is case-insensitive: q={token.upper()} must match the 3 tasks, got {upper['total']}"
    )
    page = _list(client, q=f"milk {token}")
    assert _ids(page) == [hit1], (
        f"q='milk {token}' must match the title 'Buy MILK {token}' (case-insensitive), got {page}"
    )
    page = _list(client, q=f"{token} MILKSHAKE")
    assert _ids(page) == [hit2], f"q must match a substring of the title, got {page}"


@pytest.mark.rule("api-design", "database", "security")
def test_list_search_treats_wildcards_literally(client):
    token = _token()
    literal = _create(client, title=f"50% off {token}")["id"]
    _create(client, title=f"5000 off {token}")
    _create(client, title=f"50_ off {token}")
    page = _list(client, q=f"50% off {token}")
    assert _ids(page) == [literal], (
        f"'%' in q must match a literal percent sign, not act as a LIKE wildcard; got {page}"
    )
    page = _list(client, q=f"_ off {token}")
    assert page["total"] == 1, (
        f"'_' in q must match a literal underscore, not any character; got {page}"
    )


@pytest.mark.rule("api-design")
def test_list_sorts_by_priority_descending_then_id(client):
    token = _token()
    low = _create(client, title=f"{token} low", priority=1)["id"]
    high_a = _create(client, title=f"{token} high a", priority=5)["id"]
    mid = _create(client, title=f"{token} mid", priority=3)["id"]
    high_b = _create(client, title=f"{token} high b", priority=5)["id"]
    page = _list(client, q=token, sort="-priority")
    assert _ids(page) == [high_a, high_b, mid, low], (
        f"sort=-priority must order by priority desc, ties by id asc; got "
        f"{[(t['id'], t['priority']) for t in page['items']]}"
    )
    page = _list(client, q=token, sort="priority")
    assert _ids(page) == [low, mid, high_a, high_b], (
        f"sort=priority must order by priority asc, ties by id asc; got {_ids(page)}"
    )


@pytest.mark.rule("api-design")
def test_list_sorts_by_title_and_rejects_unknown_sort(client):
    token = _token()
    c = _create(client, title=f"{token} cherry")["id"]
    a = _create(client, title=f"{token} apple")["id"]
    b = _create(client, title=f"{token} banana")["id"]
    assert _ids(_list(client, q=token, sort="title")) == [a, b, c]
    assert _ids(_list(client, q=token, sort="-title")) == [c, b, a]
    assert _ids(_list(client, q=token, sort="-id")) == [b, a, c]
    for bad in ("created_at", "description", "title;drop", "--title"):
        response = client.get(BASE, params={"sort": bad})
        assert response.status_code == 422, (
            f"sort={bad!r} is not an allowed sort key and must be a 422, got {response.status_code}"
        )


@pytest.mark.rule("api-design")
def test_list_filters_combine_with_pagination(client):
    token = _token()
    done_ids = [
        _create(client, title=f"{token} {i}", status="done" if i % 2 else "todo")["id"]
        for i in range(6)
    ]
    expected = [done_ids[i] for i in (1, 3, 5)]
    page = _list(client, q=token, status="done", sort="-id", limit=2, offset=1)
    assert page["total"] == 3, f"3 done tasks match, got total={page['total']}"
    assert _ids(page) == [expected[1], expected[0]], (
        f"filters, sort and pagination must combine: expected {[expected[1], expected[0]]}, "
        f"got {_ids(page)}"
    )


# --- updates ----------------------------------------------------------------------------


@pytest.mark.rule("api-design", "schemas")
def test_patch_changes_only_sent_fields(client):
    created = _create(
        client, description="keep me", status="in_progress", priority=4, due_date="2030-01-02"
    )
    response = client.patch(f"{BASE}/{created['id']}", json={"priority": 1})
    assert response.status_code == 200, (
        f"PATCH should be 200, got {response.status_code}: {response.text[:300]}"
    )
    updated = response.json()
    assert updated["priority"] == 1, f"priority must be updated to 1, got {updated}"
    assert _same_created_at(updated["created_at"], created["created_at"]), (
        f"PATCH must not change created_at: {created['created_at']} -> {updated['created_at']}"
    )
    for key in ("title", "description", "status", "due_date", "id"):
        assert updated[key] == created[key], (
            f"PATCH {{'priority': 1}} must not change {key!r}: {created[key]!r} -> {updated[key]!r}"
        )
    fetched = client.get(f"{BASE}/{created['id']}").json()
    _assert_same_task(fetched, updated, "the stored task must match the PATCH response")

    response = client.patch(f"{BASE}/{created['id']}", json={})
    assert response.status_code == 200, f"an empty PATCH must be 200, got {response.status_code}"
    _assert_same_task(response.json(), updated, "an empty PATCH must change nothing")


@pytest.mark.rule("api-design", "schemas")
def test_patch_null_clears_nullable_fields(client):
    created = _create(client, description="to be cleared", due_date="2030-05-06", priority=2)
    response = client.patch(f"{BASE}/{created['id']}", json={"description": None, "due_date": None})
    assert response.status_code == 200, (
        f"PATCH should be 200, got {response.status_code}: {response.text[:300]}"
    )
    updated = response.json()
    assert updated["description"] is None and updated["due_date"] is None, (
        f"explicit null must clear description and due_date, got {updated}"
    )
    assert updated["priority"] == 2 and updated["title"] == created["title"], (
        f"fields not sent must keep their values, got {updated}"
    )
    fetched = client.get(f"{BASE}/{created['id']}").json()
    assert fetched["description"] is None and fetched["due_date"] is None, (
        f"the cleared values must be stored, got {fetched}"
    )


@pytest.mark.rule("schemas", "errors")
def test_patch_null_on_required_field_is_422(client):
    created = _create(client, priority=4, status="done")
    for body in ({"title": None}, {"status": None}, {"priority": None}):
        response = client.patch(f"{BASE}/{created['id']}", json=body)
        assert response.status_code == 422, (
            f"PATCH {body} must be a 422 ({next(iter(body))} cannot be null), "
            f"got {response.status_code}: {response.text[:200]}"
        )
    for body in ({"priority": 9}, {"title": ""}, {"status": "archived"}):
        response = client.patch(f"{BASE}/{created['id']}", json=body)
        assert response.status_code == 422, (
            f"PATCH {body} breaks the create rules and must be a 422, got {response.status_code}"
        )
    fetched = client.get(f"{BASE}/{created['id']}").json()
    _assert_same_task(fetched, created, "rejected PATCHes must leave the task unchanged")


@pytest.mark.rule("api-design", "schemas")
def test_put_replaces_the_whole_task(client):
    created = _create(client, description="old", status="done", priority=5, due_date="2030-01-01")
    new_title = f"replaced {_token()}"
    response = client.put(f"{BASE}/{created['id']}", json={"title": new_title, "priority": 2})
    assert response.status_code == 200, (
        f"PUT should be 200, got {response.status_code}: {response.text[:300]}"
    )
    replaced = response.json()
    expected = {
        "id": created["id"],
        "title": new_title,
        "description": None,
        "status": "todo",
        "priority": 2,
        "due_date": None,
    }
    assert _same_created_at(replaced["created_at"], created["created_at"]), (
        f"PUT must keep created_at: {created['created_at']} -> {replaced['created_at']}"
    )
    for key, value in expected.items():
        assert replaced[key] == value, (
            f"PUT resets omitted fields to defaults and keeps id/created_at: "
            f"{key!r} expected {value!r}, got {replaced[key]!r}"
        )
    response = client.put(f"{BASE}/{created['id']}", json={"priority": 2})
    assert response.status_code == 422, (
        f"PUT without title must be a 422, got {response.status_code}"
    )


@pytest.mark.rule("api-design")
def test_delete_returns_204_then_404(client):
    created = _create(client)
    response = client.delete(f"{BASE}/{created['id']}")
    assert response.status_code == 204, f"DELETE should be 204, got {response.status_code}"
    assert response.content == b"", f"204 must have an empty body, got {response.content!r:.200}"
    response = client.get(f"{BASE}/{created['id']}")
    assert response.status_code == 404, (
        f"GET after DELETE should be 404, got {response.status_code}"
    )
    response = client.delete(f"{BASE}/{created['id']}")
    assert response.status_code == 404, f"second DELETE should be 404, got {response.status_code}"
    response = client.patch(f"{BASE}/{created['id']}", json={"priority": 2})
    assert response.status_code == 404, (
        f"PATCH after DELETE should be 404, got {response.status_code}"
    )


# --- documentation ----------------------------------------------------------------------


@pytest.mark.rule("docs")
def test_openapi_documents_the_list_parameters(client):
    spec = client.get("/openapi.json").json()
    paths = spec.get("paths", {})
    list_path = next((p for p in paths if p.rstrip("/") == BASE), None)
    assert list_path is not None, f"{BASE} missing from OpenAPI paths: {sorted(paths)}"
    operation = paths[list_path].get("get")
    assert operation, f"GET {BASE} missing from OpenAPI"
    names = {p.get("name") for p in operation.get("parameters", []) if p.get("in") == "query"}
    assert {"limit", "offset", "status", "q", "sort"} <= names, (
        f"list query parameters must be named limit/offset/status/q/sort, got {sorted(names)}"
    )
    item_path = next(
        (p for p in paths if p.startswith(f"{BASE}/{{") and p.count("/") == BASE.count("/") + 1),
        None,
    )
    assert item_path, f"no {BASE}/{{id}} path in OpenAPI: {sorted(paths)}"
    for method in ("get", "patch", "put", "delete"):
        op = paths[item_path].get(method)
        assert op, f"{method.upper()} {item_path} missing from OpenAPI"
        assert "tasks" in op.get("tags", []), f"{method.upper()} {item_path} must be tagged 'tasks'"
        assert op.get("summary"), f"{method.upper()} {item_path} needs a summary"
