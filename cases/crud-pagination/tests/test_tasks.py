"""Hidden suite for crud-pagination: the tasks resource under /api/v1.

Tests share one database, so every test that lists tasks tags its own tasks with a unique
token in the title and filters with ``q=<token>``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
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
    """The same instant, exactly: created_at is never changed, so no tolerance."""
    return _instant(a) == _instant(b)


TASK_KEYS = {"id", "title", "description", "status", "priority", "due_date", "created_at"}


def _assert_task_shape(task: Any, why: str) -> None:
    assert isinstance(task, dict) and set(task) == TASK_KEYS, (
        f"{why}: a task has exactly the keys {sorted(TASK_KEYS)}, got {task!r:.300}"
    )
    assert isinstance(task["id"], int) and not isinstance(task["id"], bool), f"{why}: id {task}"
    assert isinstance(task["title"], str), f"{why}: title must be a string: {task}"
    assert task["description"] is None or isinstance(task["description"], str), f"{why}: {task}"
    assert task["status"] in ("todo", "in_progress", "done"), f"{why}: status {task}"
    assert isinstance(task["priority"], int) and 1 <= task["priority"] <= 5, f"{why}: {task}"
    if task["due_date"] is not None:
        assert date.fromisoformat(task["due_date"]).isoformat() == task["due_date"], (
            f"{why}: due_date must be YYYY-MM-DD, got {task['due_date']!r}"
        )
    _instant(task["created_at"])


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
@pytest.mark.requirement("create-201", "task-shape", "description-rule", "status-rule", "priority-rule", "due-date-rule")
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
    _assert_task_shape(task, "POST response")


@pytest.mark.rule("api-design", "database")
@pytest.mark.requirement("get-200", "create-201")
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
@pytest.mark.requirement("invalid-input-422", "title-rule", "description-rule", "status-rule", "priority-rule", "due-date-rule")
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
        {"title": None},
        {"title": 12345},
        {"title": "ok", "priority": "high"},
        {"title": "ok", "priority": 2.5},
        {"title": "ok", "priority": -3},
        {"title": "ok", "status": "TODO"},
        {"title": "ok", "status": ""},
        {"title": "ok", "due_date": "2025-13-01"},
        {"title": "ok", "due_date": "2025-02-30"},
        {"title": "ok", "due_date": "01/07/2025"},
        {"title": "ok", "description": 7},
    ]
    for body in bad_bodies:
        response = client.post(BASE, json=body)
        assert response.status_code == 422, (
            f"POST {body!r:.80} must be rejected with 422, got {response.status_code}"
        )
    # both sides of every boundary: the limits themselves are valid
    good_bodies = [
        {"title": "x" * 200, "description": "d" * 2000},
        {"title": "y", "description": ""},
        {"title": "ok", "priority": 1, "status": "in_progress"},
        {"title": "ok", "priority": 5, "status": "done"},
        {"title": "ok", "priority": 2, "status": "todo", "due_date": "2024-02-29"},
    ]
    for body in good_bodies:
        task = _create(client, **body)
        for key, value in body.items():
            assert task[key] == value, f"POST {body!r:.80} must store {key}={value!r}: {task}"


@pytest.mark.rule("errors")
@pytest.mark.requirement("unknown-id-404")
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
@pytest.mark.requirement("invalid-input-422")
def test_non_integer_id_returns_422(client):
    for bad in ("not-a-number", "1.5", "seven"):
        for method, kwargs in (
            ("get", {}),
            ("patch", {"json": {"priority": 2}}),
            ("put", {"json": {"title": "x"}}),
            ("delete", {}),
        ):
            response = getattr(client, method)(f"{BASE}/{bad}", **kwargs)
            assert response.status_code == 422, (
                f"{method.upper()} {BASE}/{bad}: a non-integer task_id must be a 422, "
                f"got {response.status_code}"
            )


# --- list: envelope and pagination ------------------------------------------------------


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("envelope-items", "envelope-total", "envelope-limit-offset", "limit-bounds", "offset-bounds", "sort-keys")
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
@pytest.mark.requirement("envelope-items", "envelope-limit-offset", "offset-bounds")
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
@pytest.mark.requirement("envelope-total", "offset-bounds")
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
@pytest.mark.requirement("limit-bounds", "offset-bounds", "invalid-input-422", "envelope-limit-offset")
def test_list_limit_and_offset_bounds(client):
    for params in (
        {"limit": 101},
        {"limit": 0},
        {"limit": -1},
        {"limit": 1000},
        {"limit": "ten"},
        {"offset": -1},
        {"offset": -100},
        {"offset": "x"},
        {"limit": 0, "offset": 0},
    ):
        response = client.get(BASE, params=params)
        assert response.status_code == 422, (
            f"GET {BASE} with {params} must be a 422 (not clamped), got {response.status_code}"
        )
    page = _list(client, limit=100)
    assert page["limit"] == 100, f"limit=100 is allowed and must be echoed, got {page['limit']}"
    token = _token()
    ids = [_create(client, title=f"{token} {i}")["id"] for i in range(2)]
    page = _list(client, q=token, limit=1, offset=0)
    assert page["limit"] == 1 and page["offset"] == 0 and _ids(page) == ids[:1], (
        f"limit=1 is allowed: one item, limit echoed as 1; got {page}"
    )
    page = _list(client, q=token, offset=1)
    assert page["limit"] == 20 and page["offset"] == 1 and _ids(page) == ids[1:], (
        f"offset=1 alone: default limit 20, offset echoed as 1; got {page}"
    )
    page = _list(client, q=token, offset=2)
    assert page["items"] == [] and page["total"] == 2 and page["offset"] == 2, (
        f"offset equal to the number of matches gives an empty page (200), got {page}"
    )


# --- list: filtering and sorting --------------------------------------------------------


@pytest.mark.rule("api-design")
@pytest.mark.requirement("status-filter", "invalid-input-422")
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
@pytest.mark.requirement("q-substring-ignoring-case")
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
@pytest.mark.requirement("q-literal")
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
    # every character is literal, escape characters included
    slash = _create(client, title=f"{token} a/b")["id"]
    backslash = _create(client, title=f"{token} a\\b")["id"]
    plain = _create(client, title=f"{token} a%b_c")["id"]
    for q, expected in (
        (f"{token} a/b", [slash]),
        (f"{token} a\\b", [backslash]),
        (f"{token} a%b_c", [plain]),
        (f"{token} a%", [plain]),
        (f"{token} a_", []),
        ("%" + token, []),
    ):
        page = _list(client, q=q)
        assert _ids(page) == expected and page["total"] == len(expected), (
            f"q={q!r} must be matched literally: expected {expected}, got {page}"
        )


@pytest.mark.rule("api-design")
@pytest.mark.requirement("sort-keys", "sort-ties-by-id")
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
@pytest.mark.requirement("sort-keys", "sort-other-422")
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
@pytest.mark.requirement("filters-and", "envelope-total", "envelope-items")
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
@pytest.mark.requirement("patch-200", "patch-only-sent-fields", "created-at-never-changes")
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
@pytest.mark.requirement("patch-null-clears", "patch-only-sent-fields")
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
@pytest.mark.requirement("patch-null-required-422", "patch-validates-like-create")
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
@pytest.mark.requirement("put-resets-omitted", "put-same-rules", "created-at-never-changes")
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
@pytest.mark.requirement("delete-204-then-gone")
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
    response = client.put(f"{BASE}/{created['id']}", json={"title": "back again"})
    assert response.status_code == 404, (
        f"PUT after DELETE should be 404 (not recreate the task), got {response.status_code}"
    )
    assert response.json() == {"detail": "Task not found"}, response.text
    response = client.get(f"{BASE}/{created['id']}")
    assert response.status_code == 404 and response.json() == {"detail": "Task not found"}, (
        f"the deleted task must stay gone, got {response.status_code}: {response.text[:200]}"
    )
    token = created["title"].split()[-1]
    page = _list(client, q=token)
    assert page["items"] == [] and page["total"] == 0, (
        f"a deleted task must not be listed, got {page}"
    )


# --- documentation ----------------------------------------------------------------------


@pytest.mark.rule("docs")
@pytest.mark.requirement("openapi-list-params", "openapi-tag-summary")
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
    for method in ("get", "post"):
        op = paths[list_path].get(method)
        assert op, f"{method.upper()} {list_path} missing from OpenAPI"
        assert "tasks" in op.get("tags", []), f"{method.upper()} {list_path} must be tagged 'tasks'"
        assert op.get("summary"), f"{method.upper()} {list_path} needs a summary"
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


# --- cross-cutting: shape, server-owned fields, persistence ----------------------------


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("task-shape")
def test_every_endpoint_returns_the_task_shape(client):
    token = _token()
    created = _create(client, title=f"{token} shape", description="d", due_date="2031-12-31")
    _assert_task_shape(created, "POST response")
    task_id = created["id"]
    _assert_task_shape(client.get(f"{BASE}/{task_id}").json(), "GET response")
    patched = client.patch(f"{BASE}/{task_id}", json={"status": "done"})
    assert patched.status_code == 200, patched.text[:300]
    _assert_task_shape(patched.json(), "PATCH response")
    replaced = client.put(f"{BASE}/{task_id}", json={"title": f"{token} shape 2"})
    assert replaced.status_code == 200, replaced.text[:300]
    _assert_task_shape(replaced.json(), "PUT response")
    page = _list(client, q=token)
    assert len(page["items"]) == 1, page
    _assert_task_shape(page["items"][0], "list item")
    _assert_same_task(page["items"][0], replaced.json(), "the list item must be the stored task")


@pytest.mark.rule("api-design", "schemas", "security")
@pytest.mark.requirement("server-owned-fields", "created-at-never-changes")
def test_clients_cannot_set_id_or_created_at(client):
    forged = {"id": 876_543_210, "created_at": "2000-01-01T00:00:00"}
    title = f"forged {_token()}"
    response = client.post(BASE, json={"title": title, **forged})
    assert response.status_code in (201, 422), (
        f"POST with id/created_at must ignore them (201) or reject them (422), got "
        f"{response.status_code}"
    )
    if response.status_code == 201:
        task = response.json()
        assert task["id"] != forged["id"], f"the client must not choose the id: {task}"
        assert _instant(task["created_at"]).year != 2000, (
            f"the client must not choose created_at: {task}"
        )
        assert client.get(f"{BASE}/{forged['id']}").status_code == 404
    created = _create(client)
    for method, body in (
        ("patch", dict(forged)),
        ("put", {"title": created["title"], **forged}),
    ):
        response = getattr(client, method)(f"{BASE}/{created['id']}", json=body)
        assert response.status_code in (200, 422), (
            f"{method.upper()} with id/created_at must ignore them (200) or reject them (422), "
            f"got {response.status_code}"
        )
        fetched = client.get(f"{BASE}/{created['id']}")
        assert fetched.status_code == 200, (
            f"after {method.upper()} with a forged id the task must keep its id"
        )
        assert _same_created_at(fetched.json()["created_at"], created["created_at"]), (
            f"{method.upper()} must not let the client change created_at: {fetched.json()}"
        )
        assert client.get(f"{BASE}/{forged['id']}").status_code == 404


@pytest.mark.rule("database")
@pytest.mark.requirement("persist-in-database", "created-at-never-changes")
def test_tasks_are_persisted_in_the_database(client, db, restart_app):
    token = _token()
    created = _create(client, title=f"{token} kept", description="stored", priority=4)
    tables = [
        row[0]
        for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    ]
    found = False
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        rows = db.execute(f"SELECT * FROM {quoted}").fetchall()  # noqa: S608
        if any(token in str(value) for row in rows for value in row):
            found = True
            break
    assert found, (
        f"the task must be stored in the database given by DATABASE_URL; no table of "
        f"{tables} holds its title"
    )
    restart_app()
    response = client.get(f"{BASE}/{created['id']}")
    assert response.status_code == 200, (
        f"the task must survive a restart of the app, got {response.status_code}"
    )
    _assert_same_task(response.json(), created, "after a restart the task must be unchanged")


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("created-at-never-changes", "patch-only-sent-fields", "put-same-rules")
def test_created_at_never_changes(client):
    created = _create(client, description="d", status="in_progress", priority=2)
    task_id = created["id"]
    for method, body in (
        ("patch", {"title": f"renamed {_token()}"}),
        ("patch", {"description": None, "due_date": "2032-02-02"}),
        ("patch", {}),
        ("put", {"title": f"replaced {_token()}", "status": "done"}),
        ("put", {"title": f"again {_token()}"}),
    ):
        response = getattr(client, method)(f"{BASE}/{task_id}", json=body)
        assert response.status_code == 200, response.text[:300]
        for task in (response.json(), client.get(f"{BASE}/{task_id}").json()):
            assert _same_created_at(task["created_at"], created["created_at"]), (
                f"{method.upper()} {body} changed created_at: {created['created_at']!r} -> "
                f"{task['created_at']!r}"
            )
            assert task["id"] == task_id


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("patch-only-sent-fields", "patch-200")
def test_patch_each_field_alone_changes_only_that_field(client):
    created = _create(
        client, description="before", status="todo", priority=3, due_date="2030-03-03"
    )
    current = dict(created)
    changes = [
        {"title": f"new title {_token()}"},
        {"description": "after"},
        {"status": "in_progress"},
        {"status": "done"},
        {"priority": 5},
        {"priority": 1},
        {"due_date": "2031-04-04"},
    ]
    for change in changes:
        response = client.patch(f"{BASE}/{created['id']}", json=change)
        assert response.status_code == 200, (
            f"PATCH {change} should be 200, got {response.status_code}: {response.text[:300]}"
        )
        current.update(change)
        _assert_same_task(response.json(), current, f"PATCH {change}")
        _assert_same_task(
            client.get(f"{BASE}/{created['id']}").json(), current, f"stored after PATCH {change}"
        )


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("patch-validates-like-create", "patch-null-required-422")
def test_patch_validates_every_field_like_create(client):
    created = _create(client, description="d", priority=4, status="done", due_date="2030-01-01")
    bad_bodies = [
        {"title": ""},
        {"title": "x" * 201},
        {"title": 5},
        {"description": "d" * 2001},
        {"status": "archived"},
        {"status": "DONE"},
        {"priority": 0},
        {"priority": 6},
        {"priority": "high"},
        {"due_date": "2030-02-30"},
        {"due_date": "tomorrow"},
        {"title": None, "description": "changed"},
        {"status": None, "priority": 1},
        {"priority": None, "due_date": None},
        {"title": "fine", "priority": 99},
    ]
    for body in bad_bodies:
        response = client.patch(f"{BASE}/{created['id']}", json=body)
        assert response.status_code == 422, (
            f"PATCH {body!r:.80} must be a 422, got {response.status_code}: {response.text[:200]}"
        )
    _assert_same_task(
        client.get(f"{BASE}/{created['id']}").json(),
        created,
        "rejected PATCHes (even with some valid fields) must leave the task unchanged",
    )
    response = client.patch(
        f"{BASE}/{created['id']}", json={"title": "y" * 200, "description": "z" * 2000}
    )
    assert response.status_code == 200, (
        f"PATCH with a 200-character title and a 2000-character description is valid, got "
        f"{response.status_code}"
    )


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("put-same-rules", "put-resets-omitted", "invalid-input-422")
def test_put_validates_like_post(client):
    created = _create(client, description="d", priority=4, status="done", due_date="2030-01-01")
    bad_bodies = [
        {},
        {"description": "only"},
        {"title": None},
        {"title": ""},
        {"title": "x" * 201},
        {"title": "ok", "priority": 0},
        {"title": "ok", "priority": 6},
        {"title": "ok", "status": "archived"},
        {"title": "ok", "due_date": "2030-13-01"},
        {"title": "ok", "description": "d" * 2001},
    ]
    for body in bad_bodies:
        response = client.put(f"{BASE}/{created['id']}", json=body)
        assert response.status_code == 422, (
            f"PUT {body!r:.80} must be a 422, got {response.status_code}: {response.text[:200]}"
        )
    _assert_same_task(
        client.get(f"{BASE}/{created['id']}").json(),
        created,
        "rejected PUTs must leave the task unchanged",
    )
    full = {
        "title": f"full {_token()}",
        "description": "all fields",
        "status": "in_progress",
        "priority": 1,
        "due_date": "2033-03-03",
    }
    response = client.put(f"{BASE}/{created['id']}", json=full)
    assert response.status_code == 200, response.text[:300]
    _assert_same_task(
        response.json(),
        {**full, "id": created["id"], "created_at": created["created_at"]},
        "PUT with every field sets every field",
    )
    response = client.put(f"{BASE}/{created['id']}", json={"title": full["title"]})
    assert response.status_code == 200, response.text[:300]
    _assert_same_task(
        response.json(),
        {
            "id": created["id"],
            "title": full["title"],
            "description": None,
            "status": "todo",
            "priority": 3,
            "due_date": None,
            "created_at": created["created_at"],
        },
        "PUT with only a title resets every other field to its default",
    )
    _assert_same_task(
        client.get(f"{BASE}/{created['id']}").json(), response.json(), "the PUT must be stored"
    )


@pytest.mark.rule("api-design")
@pytest.mark.requirement("sort-ties-by-id", "sort-keys")
def test_list_sort_ties_are_by_id_ascending_for_every_key(client):
    token = _token()
    specs = [("pear", 2), ("fig", 4), ("pear", 4), ("fig", 2), ("pear", 2), ("fig", 4)]
    ids = [_create(client, title=f"{token} {name}", priority=prio)["id"] for name, prio in specs]
    rows = list(zip(ids, specs, strict=True))

    def expected(key: str, descending: bool) -> list[int]:
        if key == "id":
            ordered = sorted(ids, reverse=descending)
            return ordered
        index = 0 if key == "title" else 1
        sign = -1 if descending else 1
        if key == "title":
            by_title = sorted(rows, key=lambda r: r[0])
            return [r[0] for r in sorted(by_title, key=lambda r: r[1][0], reverse=descending)]
        return [r[0] for r in sorted(rows, key=lambda r: (sign * r[1][index], r[0]))]

    for key in ("id", "title", "priority"):
        for descending in (False, True):
            sort = f"-{key}" if descending else key
            page = _list(client, q=token, sort=sort)
            assert _ids(page) == expected(key, descending), (
                f"sort={sort}: ties must be ordered by id ascending; expected "
                f"{expected(key, descending)}, got "
                f"{[(t['id'], t['title'].split()[-1], t['priority']) for t in page['items']]}"
            )
    assert _ids(_list(client, q=token)) == ids, "the default order is id ascending"
    page = _list(client, q=token, sort="-priority", limit=2, offset=1)
    assert _ids(page) == expected("priority", True)[1:3], (
        f"sorting applies before pagination: expected {expected('priority', True)[1:3]}, "
        f"got {_ids(page)}"
    )
