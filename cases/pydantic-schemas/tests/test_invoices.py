"""Hidden suite for pydantic-schemas: invoices with nested models, validators and computed
fields under /api/v1/invoices."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

BASE = "/api/v1/invoices"


def _payload(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "billing_address": {
            "line1": "12 Analytical Row",
            "line2": None,
            "city": "London",
            "postal_code": "N1 9GU",
            "country": "GB",
        },
        "currency": "GBP",
        "issue_date": "2025-03-01",
        "due_date": "2025-03-31",
        "lines": [
            {"sku": "AB-123", "description": "Punched cards", "quantity": 3, "unit_price": "19.99"},
            {"sku": "XYZ-00042", "description": "Gear set", "quantity": 1, "unit_price": "250"},
        ],
        "discount": "10.00",
    }
    body.update(copy.deepcopy(overrides))
    return body


def _money(value: Any, what: str) -> Decimal:
    assert isinstance(value, str), (
        f"{what} must be serialised as a JSON string holding a decimal, got {value!r}"
    )
    return Decimal(value)


MONEY_KEYS = {"unit_price", "line_total", "discount", "subtotal", "total"}


def _canonical(value: Any) -> Any:
    """An invoice with every money string turned into a Decimal: "250" == "250.00"."""
    if isinstance(value, dict):
        return {
            key: Decimal(item) if key in MONEY_KEYS and isinstance(item, str) else _canonical(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def _assert_same_invoice(actual: Any, expected: Any, why: str) -> None:
    assert _canonical(actual) == _canonical(expected), f"{why}:\n{actual}\n!=\n{expected}"


def _create(client: Any, body: dict[str, Any] | None = None) -> dict[str, Any]:
    body = body if body is not None else _payload()
    response = client.post(BASE, json=body)
    assert response.status_code == 201, (
        f"POST {BASE} with a valid invoice should be 201, got {response.status_code}: "
        f"{response.text[:400]}"
    )
    return response.json()


def _errors(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 422, (
        f"expected a 422 validation error, got {response.status_code}: {response.text[:400]}"
    )
    detail = response.json().get("detail")
    assert isinstance(detail, list) and detail, (
        f"a 422 body must be {{'detail': [{{'loc': [...], 'msg': ...}}, ...]}}, got "
        f"{response.text[:400]}"
    )
    return detail


def _locs(response: Any) -> list[list[Any]]:
    return [list(error.get("loc", [])) for error in _errors(response)]


def _assert_loc(response: Any, loc: list[Any]) -> None:
    locs = _locs(response)
    assert loc in locs, f"expected an error at loc {loc}, got locs {locs}"


def _assert_names_field(response: Any, field: str) -> None:
    errors = _errors(response)
    named = any(
        field in [str(part) for part in error.get("loc", [])] or field in str(error.get("msg", ""))
        for error in errors
    )
    assert named, (
        f"the 422 must name {field!r} in an error's loc or msg, got "
        f"{[(e.get('loc'), e.get('msg')) for e in errors]}"
    )


# --- create ------------------------------------------------------------------------------


@pytest.mark.rule("schemas", "api-design")
def test_create_returns_201_with_normalised_values_and_totals(client):
    body = _payload(currency="gbp")
    body["billing_address"]["country"] = " gb"
    body["lines"][0]["sku"] = " ab-123 "
    body["lines"][1]["unit_price"] = 250
    invoice = _create(client, body)
    assert isinstance(invoice.get("id"), int), f"invoice must have an integer id: {invoice}"
    assert invoice["currency"] == "GBP", f"currency must be upper-cased: {invoice['currency']!r}"
    assert invoice["billing_address"]["country"] == "GB", (
        f"country must be stripped and upper-cased: {invoice['billing_address']!r}"
    )
    assert invoice["billing_address"]["line2"] is None
    assert invoice["customer"] == {"name": "Ada Lovelace", "email": "ada@example.com"}
    assert [line["sku"] for line in invoice["lines"]] == ["AB-123", "XYZ-00042"], (
        f"skus must be normalised, lines in the order sent: {invoice['lines']}"
    )
    assert invoice["issue_date"] == "2025-03-01" and invoice["due_date"] == "2025-03-31"
    assert _money(invoice["lines"][0]["line_total"], "line_total") == Decimal("59.97")
    assert _money(invoice["lines"][1]["line_total"], "line_total") == Decimal("250")
    assert _money(invoice["subtotal"], "subtotal") == Decimal("309.97"), invoice
    assert _money(invoice["discount"], "discount") == Decimal("10")
    assert _money(invoice["total"], "total") == Decimal("299.97"), invoice


@pytest.mark.rule("api-design", "database", "errors")
def test_get_returns_the_stored_invoice_or_404(client):
    created = _create(client)
    response = client.get(f"{BASE}/{created['id']}")
    assert response.status_code == 200, (
        f"GET existing invoice should be 200, got {response.status_code}"
    )
    _assert_same_invoice(response.json(), created, "GET must return the invoice POST returned")
    response = client.get(f"{BASE}/987654321")
    assert response.status_code == 404, f"unknown invoice should be 404, got {response.status_code}"
    assert response.json() == {"detail": "Invoice not found"}, response.text


@pytest.mark.rule("schemas")
def test_line_totals_use_exact_decimal_arithmetic(client):
    lines = [
        {"sku": "AA-100", "description": "tenth", "quantity": 3, "unit_price": 0.1},
        {"sku": "BB-200", "description": "odd", "quantity": 7, "unit_price": "1.15"},
        {"sku": "CC-300", "description": "free", "quantity": 2, "unit_price": "0"},
    ]
    invoice = _create(client, _payload(lines=lines, discount="0.05"))
    totals = [_money(line["line_total"], "line_total") for line in invoice["lines"]]
    assert totals == [Decimal("0.3"), Decimal("8.05"), Decimal("0")], (
        f"line_total = quantity x unit_price, exactly (no float rounding errors); got "
        f"{[line['line_total'] for line in invoice['lines']]}"
    )
    assert _money(invoice["subtotal"], "subtotal") == Decimal("8.35"), invoice["subtotal"]
    assert _money(invoice["total"], "total") == Decimal("8.30"), invoice["total"]
    assert _money(invoice["lines"][0]["unit_price"], "unit_price") == Decimal("0.1")


@pytest.mark.rule("schemas")
def test_default_discount_is_zero(client):
    body = _payload()
    del body["discount"]
    invoice = _create(client, body)
    assert _money(invoice["discount"], "discount") == 0, invoice["discount"]
    assert _money(invoice["total"], "total") == _money(invoice["subtotal"], "subtotal")


# --- field validators --------------------------------------------------------------------


@pytest.mark.rule("schemas")
def test_sku_is_normalised_before_the_pattern_check(client):
    lines = [
        {"sku": "  ab-123\t", "description": "a", "quantity": 1, "unit_price": "1"},
        {"sku": "abcde-999999", "description": "b", "quantity": 1, "unit_price": "1"},
    ]
    invoice = _create(client, _payload(lines=lines, discount="0"))
    assert [line["sku"] for line in invoice["lines"]] == ["AB-123", "ABCDE-999999"], (
        f"sku must be stripped and upper-cased before it is checked: {invoice['lines']}"
    )


@pytest.mark.rule("schemas", "errors")
def test_invalid_sku_error_points_at_the_line(client):
    for bad in ("AB123", "A-123", "ABCDEF-123", "AB-12", "AB-1234567", "ab-12x"):
        body = _payload()
        body["lines"][1]["sku"] = bad
        response = client.post(BASE, json=body)
        _assert_loc(response, ["body", "lines", 1, "sku"])


@pytest.mark.rule("schemas", "errors")
def test_country_code_is_normalised_and_validated(client):
    body = _payload()
    body["billing_address"]["country"] = " de "
    invoice = _create(client, body)
    assert invoice["billing_address"]["country"] == "DE", invoice["billing_address"]
    for bad in ("DEU", "D", "d1", "", "  "):
        body = _payload()
        body["billing_address"]["country"] = bad
        response = client.post(BASE, json=body)
        _assert_loc(response, ["body", "billing_address", "country"])


@pytest.mark.rule("schemas", "errors")
def test_currency_is_normalised_and_restricted(client):
    invoice = _create(client, _payload(currency=" usd "))
    assert invoice["currency"] == "USD", f"currency must be normalised: {invoice['currency']!r}"
    invoice = _create(client, _payload(currency="Eur"))
    assert invoice["currency"] == "EUR"
    for bad in ("JPY", "EURO", ""):
        response = client.post(BASE, json=_payload(currency=bad))
        _assert_loc(response, ["body", "currency"])


@pytest.mark.rule("schemas", "errors")
def test_nested_field_errors_carry_the_full_path(client):
    body = _payload()
    body["customer"]["email"] = "not-an-email"
    _assert_loc(client.post(BASE, json=body), ["body", "customer", "email"])

    body = _payload()
    body["customer"]["name"] = ""
    _assert_loc(client.post(BASE, json=body), ["body", "customer", "name"])

    body = _payload()
    del body["billing_address"]["city"]
    _assert_loc(client.post(BASE, json=body), ["body", "billing_address", "city"])


@pytest.mark.rule("schemas", "errors")
def test_line_item_bounds(client):
    cases = [
        ("quantity", 0),
        ("quantity", 1001),
        ("quantity", 1.5),
        ("unit_price", "1.234"),
        ("unit_price", -1),
        ("unit_price", "cheap"),
    ]
    for field, value in cases:
        body = _payload()
        body["lines"][0][field] = value
        response = client.post(BASE, json=body)
        _assert_loc(response, ["body", "lines", 0, field])
    _assert_loc(client.post(BASE, json=_payload(lines=[])), ["body", "lines"])
    many = [
        {"sku": "AB-123", "description": "x", "quantity": 1, "unit_price": "1"} for _ in range(51)
    ]
    _assert_loc(client.post(BASE, json=_payload(lines=many, discount="0")), ["body", "lines"])
    response = client.post(BASE, json=_payload(discount="-1"))
    _assert_loc(response, ["body", "discount"])


@pytest.mark.rule("schemas", "errors", "security")
def test_unknown_and_server_computed_fields_are_rejected(client):
    attempts = []
    attempts.append(_payload(total="0.01"))
    attempts.append(_payload(subtotal="1"))
    attempts.append(_payload(id=1))
    body = _payload()
    body["customer"]["is_admin"] = True
    attempts.append(body)
    body = _payload()
    body["lines"][0]["line_total"] = "0.01"
    attempts.append(body)
    body = _payload()
    body["billing_address"]["state"] = "Greater London"
    attempts.append(body)
    for body in attempts:
        response = client.post(BASE, json=body)
        assert response.status_code == 422, (
            f"an unknown field must be rejected with 422, got {response.status_code} for a "
            f"body with extra keys: {response.text[:300]}"
        )


# --- model validators --------------------------------------------------------------------


@pytest.mark.rule("schemas", "errors")
def test_due_date_before_issue_date_is_rejected_naming_due_date(client):
    response = client.post(BASE, json=_payload(issue_date="2025-03-10", due_date="2025-03-09"))
    _assert_names_field(response, "due_date")
    same_day = _create(client, _payload(issue_date="2025-03-10", due_date="2025-03-10"))
    assert same_day["due_date"] == "2025-03-10", "a due_date equal to issue_date is allowed"


@pytest.mark.rule("schemas", "errors")
def test_discount_above_subtotal_is_rejected_naming_discount(client):
    response = client.post(BASE, json=_payload(discount="309.98"))
    _assert_names_field(response, "discount")


@pytest.mark.rule("schemas")
def test_discount_equal_to_subtotal_gives_zero_total(client):
    invoice = _create(client, _payload(discount="309.97"))
    assert _money(invoice["total"], "total") == 0, (
        f"a discount equal to the subtotal is allowed and gives a total of 0: {invoice['total']}"
    )


# --- PATCH -------------------------------------------------------------------------------


@pytest.mark.rule("api-design", "schemas")
def test_patch_changes_only_sent_fields_and_recomputes_totals(client):
    created = _create(client)
    new_lines = [{"sku": "qq-777", "description": "Bulk", "quantity": 4, "unit_price": "12.50"}]
    response = client.patch(f"{BASE}/{created['id']}", json={"lines": new_lines})
    assert response.status_code == 200, (
        f"PATCH should be 200, got {response.status_code}: {response.text[:400]}"
    )
    updated = response.json()
    assert [line["sku"] for line in updated["lines"]] == ["QQ-777"], updated["lines"]
    assert _money(updated["subtotal"], "subtotal") == Decimal("50"), updated["subtotal"]
    assert _money(updated["total"], "total") == Decimal("40"), (
        f"total must be recomputed from the new lines and the stored discount: {updated['total']}"
    )
    for key in ("customer", "billing_address", "currency", "issue_date", "due_date", "id"):
        assert updated[key] == created[key], f"PATCH of lines must not change {key!r}"
    _assert_same_invoice(
        client.get(f"{BASE}/{created['id']}").json(), updated, "the update must be stored"
    )

    response = client.patch(f"{BASE}/{created['id']}", json={})
    assert response.status_code == 200, f"an empty PATCH must be 200, got {response.status_code}"
    _assert_same_invoice(response.json(), updated, "an empty PATCH must change nothing")


@pytest.mark.rule("schemas")
def test_patch_applies_the_field_validators(client):
    created = _create(client)
    address = dict(created["billing_address"], country="fr ")
    response = client.patch(
        f"{BASE}/{created['id']}", json={"currency": " eur", "billing_address": address}
    )
    assert response.status_code == 200, (
        f"PATCH should be 200, got {response.status_code}: {response.text[:400]}"
    )
    updated = response.json()
    assert updated["currency"] == "EUR" and updated["billing_address"]["country"] == "FR", (
        f"PATCH values must be normalised like on create: {updated}"
    )
    response = client.patch(f"{BASE}/{created['id']}", json={"currency": "JPY"})
    _assert_loc(response, ["body", "currency"])
    bad_line = [{"sku": "bad sku", "description": "x", "quantity": 1, "unit_price": "400"}]
    response = client.patch(f"{BASE}/{created['id']}", json={"lines": bad_line})
    _assert_loc(response, ["body", "lines", 0, "sku"])


@pytest.mark.rule("schemas", "errors")
def test_patch_due_date_is_checked_against_the_stored_issue_date(client):
    created = _create(client, _payload(issue_date="2025-05-10", due_date="2025-06-10"))
    response = client.patch(f"{BASE}/{created['id']}", json={"due_date": "2025-05-01"})
    _assert_names_field(response, "due_date")
    response = client.patch(f"{BASE}/{created['id']}", json={"issue_date": "2025-07-01"})
    assert response.status_code == 422, (
        f"moving issue_date after the stored due_date must be a 422, got {response.status_code}"
    )
    _assert_same_invoice(
        client.get(f"{BASE}/{created['id']}").json(),
        created,
        "a rejected PATCH must leave the invoice unchanged",
    )


@pytest.mark.rule("schemas", "errors")
def test_patch_lines_are_checked_against_the_stored_discount(client):
    created = _create(client, _payload(discount="100.00"))
    cheap = [{"sku": "AB-123", "description": "cheap", "quantity": 1, "unit_price": "99.99"}]
    response = client.patch(f"{BASE}/{created['id']}", json={"lines": cheap})
    _assert_names_field(response, "discount")
    response = client.patch(f"{BASE}/{created['id']}", json={"discount": "309.98"})
    _assert_names_field(response, "discount")
    _assert_same_invoice(
        client.get(f"{BASE}/{created['id']}").json(),
        created,
        "a rejected PATCH must leave the invoice unchanged",
    )


@pytest.mark.rule("schemas", "errors")
def test_patch_rejects_null_and_partial_nested_objects(client):
    created = _create(client)
    for body in ({"issue_date": None}, {"lines": None}, {"customer": None}, {"discount": None}):
        response = client.patch(f"{BASE}/{created['id']}", json=body)
        assert response.status_code == 422, (
            f"PATCH {body} must be a 422 (null is not a valid value), got "
            f"{response.status_code}: {response.text[:300]}"
        )
    response = client.patch(f"{BASE}/{created['id']}", json={"billing_address": {"city": "Paris"}})
    assert response.status_code == 422, (
        "billing_address is replaced as a whole: a partial address must be a 422, got "
        f"{response.status_code}"
    )
    response = client.patch(f"{BASE}/{created['id']}", json={"total": "1.00"})
    assert response.status_code == 422, (
        f"PATCH with an unknown field must be a 422, got {response.status_code}"
    )
    _assert_same_invoice(
        client.get(f"{BASE}/{created['id']}").json(),
        created,
        "rejected PATCHes must leave the invoice unchanged",
    )


@pytest.mark.rule("api-design", "errors")
def test_patch_unknown_invoice_is_404(client):
    response = client.patch(f"{BASE}/987654321", json={"currency": "EUR"})
    assert response.status_code == 404, (
        f"PATCH unknown invoice should be 404, got {response.status_code}"
    )
    assert response.json() == {"detail": "Invoice not found"}, response.text


# --- OpenAPI -----------------------------------------------------------------------------


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow $ref (and a single-branch allOf/anyOf wrapper) to the object schema."""
    for _ in range(10):
        if "$ref" in schema:
            name = schema["$ref"].split("/")[-1]
            schema = spec["components"]["schemas"][name]
            continue
        for key in ("allOf", "anyOf", "oneOf"):
            branches = [b for b in schema.get(key, []) if b.get("type") != "null"]
            if len(branches) == 1:
                schema = branches[0]
                break
        else:
            return schema
    return schema


def _operation(spec: dict[str, Any], path_suffix: str, method: str) -> dict[str, Any]:
    for path, item in spec.get("paths", {}).items():
        if path_suffix == "" and path.rstrip("/") == BASE and method in item:
            return item[method]
        if path_suffix and path.startswith(f"{BASE}/{{") and method in item:
            return item[method]
    raise AssertionError(f"{method.upper()} {BASE}{path_suffix} missing from /openapi.json")


def _json_schema(spec: dict[str, Any], container: dict[str, Any]) -> dict[str, Any]:
    schema = container.get("content", {}).get("application/json", {}).get("schema")
    assert schema, f"no application/json schema documented in {container}"
    return _resolve(spec, schema)


@pytest.mark.rule("docs", "schemas")
def test_openapi_response_schema_shows_computed_fields(client):
    spec = client.get("/openapi.json").json()
    for suffix, method, code in (
        ("", "post", "201"),
        ("/{id}", "get", "200"),
        ("/{id}", "patch", "200"),
    ):
        op = _operation(spec, suffix, method)
        assert "invoices" in op.get("tags", []), f"{method.upper()} must be tagged 'invoices'"
        response = op.get("responses", {}).get(code)
        assert response, f"{method.upper()} {BASE}{suffix} must document a {code} response"
        schema = _json_schema(spec, response)
        props = schema.get("properties", {})
        assert {"id", "subtotal", "total", "lines", "discount"} <= set(props), (
            f"{method.upper()} response schema must document id/subtotal/total; got {sorted(props)}"
        )
        line = _resolve(spec, props["lines"].get("items", {}))
        assert "line_total" in line.get("properties", {}), (
            f"the line item response schema must document line_total; got "
            f"{sorted(line.get('properties', {}))}"
        )


@pytest.mark.rule("docs", "schemas")
def test_openapi_request_schemas_are_separate_from_the_response(client):
    spec = client.get("/openapi.json").json()
    create = _json_schema(spec, _operation(spec, "", "post").get("requestBody", {}))
    props = set(create.get("properties", {}))
    assert not props & {"id", "subtotal", "total"}, (
        f"the create body schema must not contain server-side fields, got {sorted(props)}"
    )
    required = set(create.get("required", []))
    expected = {"customer", "billing_address", "currency", "issue_date", "due_date", "lines"}
    assert expected <= required, (
        f"create body must require {sorted(expected)}, got {sorted(required)}"
    )
    assert "discount" not in required, "discount is optional on create"
    line = _resolve(spec, create["properties"]["lines"].get("items", {}))
    assert "line_total" not in line.get("properties", {}), (
        "the line item request schema must not contain line_total"
    )
    update = _json_schema(spec, _operation(spec, "/{id}", "patch").get("requestBody", {}))
    assert not update.get("required"), (
        f"every field of the update schema is optional, got required={update.get('required')}"
    )
    assert not set(update.get("properties", {})) & {"id", "subtotal", "total"}
