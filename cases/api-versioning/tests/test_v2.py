"""API v2: split names, a paginated list, shared data with v1, no unversioned paths."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import V1, V2, V2_FIELDS, expect

DUPLICATE = "A customer with this email already exists"


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("v2-customer-shape", "v2-create-statuses", "v2-create-required")
def test_v2_create_returns_split_name(client, unique_email):
    email = unique_email("v2create")
    body = expect(
        client.post(V2, json={"first_name": "Ada", "last_name": "Lovelace", "email": email}),
        201,
        f"POST {V2}",
    )
    assert set(body) == V2_FIELDS, (
        f"a v2 customer must have exactly the fields {sorted(V2_FIELDS)}, got {sorted(body)}"
    )
    assert (body["first_name"], body["last_name"], body["email"]) == ("Ada", "Lovelace", email), (
        f"POST {V2} must return the names and e-mail it was given, got {body}"
    )
    assert isinstance(body["id"], int), f"id must be an integer, got {body['id']!r}"
    try:
        datetime.fromisoformat(body["created_at"])
    except (TypeError, ValueError):
        pytest.fail(f"created_at must be ISO 8601, got {body['created_at']!r}")


@pytest.mark.rule("api-design", "database")
@pytest.mark.requirement("split-first-space", "shared-data", "v2-get", "v2-customer-shape")
def test_v2_reads_v1_customer_split_at_first_space(client, create_v1):
    cases = {
        "Grace Brewster Hopper": ("Grace", "Brewster Hopper"),
        "Plato": ("Plato", ""),
        # only the first space splits; what follows it is kept as it is
        "Ada  Byron": ("Ada", " Byron"),
        "Plato ": ("Plato", ""),
        " Lead": ("", "Lead"),
        "Jean-Luc van der Berg ": ("Jean-Luc", "van der Berg "),
        # a space (U+0020) splits, other whitespace does not
        "Ada\tKing": ("Ada\tKing", ""),
        "Ada\nKing Byron": ("Ada\nKing", "Byron"),
        "Ada\u00a0King": ("Ada\u00a0King", ""),
    }
    for name, (first, last) in cases.items():
        created = create_v1(name)
        body = expect(client.get(f"{V2}/{created['id']}"), 200, f"GET {V2}/{{id}} of a v1 customer")
        assert (body.get("first_name"), body.get("last_name")) == (first, last), (
            f"v1 name {name!r} must read in v2 as first_name={first!r}, last_name={last!r} "
            f"(split at the first space), got {body}"
        )
        assert set(body) == V2_FIELDS, (
            f"a v2 customer must have exactly the fields {sorted(V2_FIELDS)} (no 'name'), got "
            f"{sorted(body)}"
        )


@pytest.mark.rule("api-design", "database")
@pytest.mark.requirement("join-single-space", "shared-data")
def test_v1_reads_v2_customer_with_joined_name(client, create_v2):
    cases = {
        ("Alan", "Mathison Turing"): "Alan Mathison Turing",
        ("Cher", ""): "Cher",
        ("Quinn", " lead"): "Quinn  lead",
        ("Ada", "van der Berg "): "Ada van der Berg ",
        ("Blank", "   "): "Blank    ",
    }
    for (first, last), name in cases.items():
        created = create_v2(first, last)
        assert (created["first_name"], created["last_name"]) == (first, last), (
            f"POST {V2} must return the names it was given, got {created}"
        )
        body = expect(client.get(f"{V1}/{created['id']}"), 200, f"GET {V1}/{{id}} of a v2 customer")
        assert body.get("name") == name, (
            f"a v2 customer ({first!r}, {last!r}) must read in v1 as name={name!r} (joined with "
            f"one space, no space when last_name is empty), got {body.get('name')!r}"
        )
        again = expect(client.get(f"{V2}/{created['id']}"), 200, f"GET {V2}/{{id}}")
        assert (again["first_name"], again["last_name"]) == (first, last), (
            f"a v2 customer ({first!r}, {last!r}) must read back unchanged in v2, got {again}"
        )
        listed = expect(client.get(V1), 200, f"GET {V1}")
        assert {c["id"]: c["name"] for c in listed}.get(created["id"]) == name, (
            f"GET {V1} must list the v2 customer ({first!r}, {last!r}) as {name!r}"
        )


@pytest.mark.rule("database")
@pytest.mark.requirement("shared-data")
def test_id_email_and_created_at_identical_across_versions(client, create_v1, create_v2):
    for created in (create_v1("Edsger Dijkstra"), create_v2("Barbara", "Liskov")):
        one = expect(client.get(f"{V1}/{created['id']}"), 200, f"GET {V1}/{{id}}")
        two = expect(client.get(f"{V2}/{created['id']}"), 200, f"GET {V2}/{{id}}")
        for key in ("id", "email", "created_at"):
            assert one[key] == two[key], (
                f"{key} must be identical in v1 and v2 for the same customer: "
                f"{one[key]!r} vs {two[key]!r}"
            )


@pytest.mark.rule("errors", "database")
@pytest.mark.requirement("shared-data", "v2-create-statuses", "v1-create")
def test_duplicate_email_conflicts_across_versions(client, create_v1, create_v2):
    from_v1 = create_v1("First Owner")
    clash = client.post(
        V2, json={"first_name": "Second", "last_name": "Owner", "email": from_v1["email"]}
    )
    assert clash.status_code == 409 and clash.json() == {"detail": DUPLICATE}, (
        f"an e-mail registered through v1 must conflict in v2 (409 {DUPLICATE!r}), got "
        f"{clash.status_code} {clash.text[:200]}"
    )
    from_v2 = create_v2("Third", "Owner")
    clash = client.post(V1, json={"name": "Fourth Owner", "email": from_v2["email"]})
    assert clash.status_code == 409 and clash.json() == {"detail": DUPLICATE}, (
        f"an e-mail registered through v2 must conflict in v1 (409 {DUPLICATE!r}), got "
        f"{clash.status_code} {clash.text[:200]}"
    )
    clash = client.post(
        V2, json={"first_name": "Fifth", "last_name": "Owner", "email": from_v2["email"]}
    )
    assert clash.status_code == 409 and clash.json() == {"detail": DUPLICATE}, (
        f"an e-mail registered through v2 must conflict in v2 (409 {DUPLICATE!r}), got "
        f"{clash.status_code} {clash.text[:200]}"
    )


@pytest.mark.rule("errors")
@pytest.mark.requirement("v2-get")
def test_v2_unknown_customer_is_404(client):
    response = client.get(f"{V2}/987654321")
    assert response.status_code == 404 and response.json() == {"detail": "Customer not found"}, (
        f"unknown v2 customer: expected 404 {{'detail': 'Customer not found'}}, got "
        f"{response.status_code} {response.text[:200]}"
    )


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("v2-create-required", "v2-first-name", "v2-last-name", "v2-email", "v2-create-statuses")
def test_v2_create_validates_names(client, unique_email):
    bad_bodies = [
        {"first_name": "Mary Ann", "last_name": "Smith"},
        {"first_name": "", "last_name": "Smith"},
        {"first_name": "x" * 51, "last_name": "Smith"},
        {"first_name": "Ada", "last_name": "y" * 50},
        {"last_name": "Smith"},
        {"first_name": "Ada"},
        {"name": "Ada Lovelace"},
    ]
    for body in bad_bodies:
        body = {**body, "email": unique_email("bad")}
        response = client.post(V2, json=body)
        assert response.status_code == 422, (
            f"POST {V2} with {body} must return 422, got {response.status_code}: "
            f"{response.text[:200]}"
        )
    for body in (
        {"first_name": "Ada", "last_name": "Lovelace"},
        {"first_name": "Bad", "last_name": "Email", "email": "not-an-address"},
        {"first_name": "Bad", "last_name": "Email", "email": "two@@example.com"},
    ):
        response = client.post(V2, json=body)
        assert response.status_code == 422, (
            f"POST {V2} with {body} (e-mail missing or invalid) must return 422, got "
            f"{response.status_code}: {response.text[:200]}"
        )
    good = {
        ("x" * 50, "y" * 49): "the longest names (50 and 49 characters)",
        ("X", ""): "a one-character first name and an empty last name",
        ("Ada", "van der Berg"): "a last name with spaces",
    }
    for (first, last), what in good.items():
        response = client.post(
            V2, json={"first_name": first, "last_name": last, "email": unique_email("ok")}
        )
        body = expect(response, 201, f"POST {V2} with {what}")
        assert (body["first_name"], body["last_name"]) == (first, last), (
            f"POST {V2} with {what} must return the names as given, got {body}"
        )


# Every character Unicode calls white space (the White_Space property).
WHITESPACE = [
    " ", "\t", "\n", "\x0b", "\x0c", "\r", "\x85", "\u00a0", "\u1680", "\u2000",
    "\u2003", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000",
]


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("v2-first-name", "v2-create-statuses")
def test_v2_first_name_rejects_any_whitespace(client, unique_email):
    accepted = []
    for char in WHITESPACE:
        for first_name in (f"Ada{char}Byron", f"Ada{char}", f"{char}Ada"):
            response = client.post(
                V2,
                json={"first_name": first_name, "last_name": "", "email": unique_email("ws")},
            )
            if response.status_code != 422:
                accepted.append((first_name, response.status_code))
    assert not accepted, (
        f"first_name must contain no whitespace at all (422); accepted: {accepted}"
    )


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("v2-page-envelope", "v2-page-params", "v2-customer-shape")
def test_v2_list_is_a_page_envelope(client, create_v2):
    create_v2("Envelope", "Check")
    page = expect(client.get(V2), 200, f"GET {V2}")
    assert isinstance(page, dict) and set(page) == {"items", "total", "limit", "offset"}, (
        f"GET {V2} must return {{items, total, limit, offset}}, got {str(page)[:200]}"
    )
    assert (page["limit"], page["offset"]) == (20, 0), (
        f"defaults must be limit=20, offset=0, got limit={page['limit']}, offset={page['offset']}"
    )
    assert isinstance(page["items"], list) and 1 <= len(page["items"]) <= 20, (
        f"items must be a list of at most 20 customers, got {len(page['items'])}"
    )
    for item in page["items"]:
        assert set(item) == V2_FIELDS, f"page items must be v2 customers, got {item}"


@pytest.mark.rule("api-design", "database")
@pytest.mark.requirement("v2-page-window", "v2-page-total", "v2-page-echo", "v2-page-past-end", "shared-data")
def test_v2_pagination_limit_offset_total(client, create_v1, create_v2):
    mine = [
        create_v2("Page", "One")["id"],
        create_v1("Page Two")["id"],
        create_v2("Page", "Three")["id"],
    ]
    everything = expect(client.get(V2, params={"limit": 100}), 200, f"GET {V2}?limit=100")
    total = everything["total"]
    v1_count = len(expect(client.get(V1), 200, f"GET {V1}"))
    assert total == v1_count, (
        f"total must count every customer (v1 and v2 share the data): {total} vs {v1_count} "
        "in the v1 list"
    )
    v1_ids = [c["id"] for c in expect(client.get(V1), 200, f"GET {V1}")]
    assert [item["id"] for item in everything["items"]] == v1_ids[:100], (
        "limit=100 must return the first 100 customers ordered by id (the same customers "
        "as the v1 list)"
    )
    window = expect(client.get(V2, params={"limit": 3, "offset": 1}), 200, f"GET {V2}")
    assert [item["id"] for item in window["items"]] == v1_ids[1:4], (
        f"limit=3&offset=1 must return the 2nd to 4th customers by id {v1_ids[1:4]}, got "
        f"{[item['id'] for item in window['items']]}"
    )
    assert (window["total"], window["limit"], window["offset"]) == (total, 3, 1), (
        f"total must count all customers, not the page: {window['total']} vs {total}"
    )
    page = expect(
        client.get(V2, params={"limit": 2, "offset": total - 2}),
        200,
        f"GET {V2}?limit=2&offset=...",
    )
    assert [item["id"] for item in page["items"]] == mine[1:], (
        f"limit=2&offset={total - 2} must return the last two customers by id {mine[1:]}, got "
        f"{[item['id'] for item in page['items']]}"
    )
    assert (page["total"], page["limit"], page["offset"]) == (total, 2, total - 2), (
        f"the envelope must report the overall total and echo limit/offset, got "
        f"total={page['total']}, limit={page['limit']}, offset={page['offset']}"
    )
    at_end = expect(client.get(V2, params={"offset": total}), 200, f"GET {V2} at the end")
    assert at_end["items"] == [] and at_end["total"] == total, (
        f"offset=total must give an empty page with the same total, got {at_end}"
    )
    past_end = expect(client.get(V2, params={"offset": total + 5}), 200, f"GET {V2} past the end")
    assert past_end["items"] == [] and past_end["total"] == total, (
        f"an offset past the end must give an empty page with the same total, got {past_end}"
    )


@pytest.mark.rule("errors")
@pytest.mark.requirement("v2-page-params")
def test_v2_pagination_params_validated(client):
    for params in (
        {"limit": 0},
        {"limit": -1},
        {"limit": 101},
        {"offset": -1},
        {"limit": "many"},
        {"offset": "x"},
        {"limit": 1.5},
    ):
        response = client.get(V2, params=params)
        assert response.status_code == 422, (
            f"GET {V2} with {params} must return 422, got {response.status_code}"
        )
    for params in ({"limit": 100}, {"limit": 1}, {"offset": 0}, {"limit": 1, "offset": 0}):
        page = expect(client.get(V2, params=params), 200, f"GET {V2} with {params}")
        assert (page["limit"], page["offset"]) == (
            params.get("limit", 20),
            params.get("offset", 0),
        ), f"GET {V2} with {params} must echo limit/offset, got {page}"
        assert len(page["items"]) <= page["limit"], f"at most limit items, got {page}"


@pytest.mark.rule("api-design", "docs")
@pytest.mark.requirement("no-unversioned-paths")
def test_unversioned_paths_are_404(client, create_v1):
    created = create_v1("Only Versioned")
    for method, path in (
        ("GET", "/customers"),
        ("GET", f"/customers/{created['id']}"),
        ("GET", "/api/customers"),
        ("GET", f"/api/customers/{created['id']}"),
        ("POST", "/api/customers"),
        ("GET", "/api/v3/customers"),
        ("GET", "/api/latest/customers"),
        ("GET", "/api/v0/customers"),
        ("POST", "/api/v3/customers"),
        ("GET", "/v1/customers"),
        ("GET", "/v2/customers"),
        ("POST", "/customers"),
    ):
        response = client.request(method, path, json={} if method == "POST" else None)
        assert response.status_code == 404, (
            f"{method} {path} must be 404: only /api/v1 and /api/v2 exist, got "
            f"{response.status_code}"
        )
