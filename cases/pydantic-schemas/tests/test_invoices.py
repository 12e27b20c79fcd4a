"""Hidden suite for pydantic-schemas: invoices with nested models, validators and computed
fields under /api/v1/invoices."""

from __future__ import annotations

import copy
import uuid
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
    for error in detail:
        assert (
            isinstance(error, dict)
            and isinstance(error.get("loc"), list)
            and isinstance(error.get("msg"), str)
            and isinstance(error.get("type"), str)
        ), f"every error must have a list loc, a string msg and a string type, got {error!r}"
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
@pytest.mark.requirement("create-201", "response-normalised-in-order", "computed-amounts", "money-as-strings", "currency-rule", "country-rule", "sku-rule", "address-line2-rule")
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
@pytest.mark.requirement("get-200-or-404")
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
@pytest.mark.requirement("computed-amounts", "money-as-strings", "unit-price-rule")
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
@pytest.mark.requirement("discount-rule", "computed-amounts")
def test_default_discount_is_zero(client):
    body = _payload()
    del body["discount"]
    invoice = _create(client, body)
    assert _money(invoice["discount"], "discount") == 0, invoice["discount"]
    assert _money(invoice["total"], "total") == _money(invoice["subtotal"], "subtotal")


# --- field validators --------------------------------------------------------------------


@pytest.mark.rule("schemas")
@pytest.mark.requirement("sku-rule", "response-normalised-in-order")
def test_sku_is_normalised_before_the_pattern_check(client):
    lines = [
        {"sku": "  ab-123\t", "description": "a", "quantity": 1, "unit_price": "1"},
        {"sku": "abcde-999999", "description": "b", "quantity": 1, "unit_price": "1"},
        {"sku": "\n Xy-0042 \r\n", "description": "c", "quantity": 1, "unit_price": "1"},
    ]
    invoice = _create(client, _payload(lines=lines, discount="0"))
    assert [line["sku"] for line in invoice["lines"]] == ["AB-123", "ABCDE-999999", "XY-0042"], (
        f"sku must be stripped and upper-cased before it is checked: {invoice['lines']}"
    )


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("sku-rule", "field-error-loc", "error-body-422")
def test_invalid_sku_error_points_at_the_line(client):
    for bad in (
        "AB123",
        "A-123",
        "ABCDEF-123",
        "AB-12",
        "AB-1234567",
        "ab-12x",
        "AB--123",
        "AB-123-",
        "AB 123",
        "A1-123",
        "",
        "\u00c4B-123",
    ):
        body = _payload()
        body["lines"][1]["sku"] = bad
        response = client.post(BASE, json=body)
        _assert_loc(response, ["body", "lines", 1, "sku"])


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("country-rule", "field-error-loc")
def test_country_code_is_normalised_and_validated(client):
    body = _payload()
    body["billing_address"]["country"] = " de "
    invoice = _create(client, body)
    assert invoice["billing_address"]["country"] == "DE", invoice["billing_address"]
    for sent, stored in (("\tfr\n", "FR"), ("Us", "US"), ("  jp\r\n", "JP")):
        body = _payload()
        body["billing_address"]["country"] = sent
        invoice = _create(client, body)
        assert invoice["billing_address"]["country"] == stored, (
            f"country {sent!r} must be stripped and upper-cased to {stored!r}: "
            f"{invoice['billing_address']}"
        )
    for bad in ("DEU", "D", "d1", "", "  ", "G B", "1A", "\u00c4B", "-G"):
        body = _payload()
        body["billing_address"]["country"] = bad
        response = client.post(BASE, json=body)
        _assert_loc(response, ["body", "billing_address", "country"])


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("currency-rule", "field-error-loc")
def test_currency_is_normalised_and_restricted(client):
    invoice = _create(client, _payload(currency=" usd "))
    assert invoice["currency"] == "USD", f"currency must be normalised: {invoice['currency']!r}"
    invoice = _create(client, _payload(currency="Eur"))
    assert invoice["currency"] == "EUR"
    for sent, stored in (
        (" gbp ", "GBP"),
        ("\tusd \n", "USD"),
        ("  eUr", "EUR"),
        ("GBP\r\n", "GBP"),
        ("\n\t Usd", "USD"),
    ):
        invoice = _create(client, _payload(currency=sent))
        assert invoice["currency"] == stored, (
            f"currency {sent!r} must be stripped and upper-cased to {stored!r}, got "
            f"{invoice['currency']!r}"
        )
        assert client.get(f"{BASE}/{invoice['id']}").json()["currency"] == stored
    for bad in ("JPY", "EURO", "", "   ", "U SD", "EU", "gb p"):
        response = client.post(BASE, json=_payload(currency=bad))
        _assert_loc(response, ["body", "currency"])


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("field-error-loc", "customer-email-rule", "customer-name-rule", "required-fields")
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
@pytest.mark.requirement("quantity-rule", "unit-price-rule", "lines-count-rule", "discount-rule", "field-error-loc")
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
@pytest.mark.requirement("strict-request-shape")
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
    body = _payload()
    body["billing_address"]["id"] = 3
    attempts.append(body)
    body = _payload()
    body["customer"]["id"] = 3
    attempts.append(body)
    body = _payload()
    body["lines"][1]["colour"] = "red"
    attempts.append(body)
    body = _payload()
    body["lines"][0]["id"] = 1
    attempts.append(body)
    attempts.append(_payload(notes="hello"))
    for body in attempts:
        response = client.post(BASE, json=body)
        assert response.status_code == 422, (
            f"an unknown field must be rejected with 422, got {response.status_code} for a "
            f"body with extra keys: {response.text[:300]}"
        )


# --- model validators --------------------------------------------------------------------


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("due-not-before-issue", "cross-field-error-names-field")
def test_due_date_before_issue_date_is_rejected_naming_due_date(client):
    response = client.post(BASE, json=_payload(issue_date="2025-03-10", due_date="2025-03-09"))
    _assert_names_field(response, "due_date")
    same_day = _create(client, _payload(issue_date="2025-03-10", due_date="2025-03-10"))
    assert same_day["due_date"] == "2025-03-10", "a due_date equal to issue_date is allowed"


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("discount-not-above-subtotal", "cross-field-error-names-field")
def test_discount_above_subtotal_is_rejected_naming_discount(client):
    response = client.post(BASE, json=_payload(discount="309.98"))
    _assert_names_field(response, "discount")


@pytest.mark.rule("schemas")
@pytest.mark.requirement("discount-not-above-subtotal", "computed-amounts")
def test_discount_equal_to_subtotal_gives_zero_total(client):
    invoice = _create(client, _payload(discount="309.97"))
    assert _money(invoice["total"], "total") == 0, (
        f"a discount equal to the subtotal is allowed and gives a total of 0: {invoice['total']}"
    )


# --- PATCH -------------------------------------------------------------------------------


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("patch-200-or-404", "patch-only-sent-fields", "patch-totals-reflect-update", "patch-nested-replaced-whole")
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
@pytest.mark.requirement("patch-validates-like-create", "field-error-loc")
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
@pytest.mark.requirement("patch-cross-field-on-result", "cross-field-error-names-field", "due-not-before-issue")
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
@pytest.mark.requirement("patch-cross-field-on-result", "cross-field-error-names-field", "discount-not-above-subtotal")
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
@pytest.mark.requirement("patch-validates-like-create", "patch-nested-replaced-whole", "patch-cross-field-on-result")
def test_patch_rejects_null_and_partial_nested_objects(client):
    created = _create(client)
    for field in (
        "customer",
        "billing_address",
        "currency",
        "issue_date",
        "due_date",
        "lines",
        "discount",
    ):
        body = {field: None}
        response = client.patch(f"{BASE}/{created['id']}", json=body)
        assert response.status_code == 422, (
            f"PATCH {body} must be a 422 (null is not a valid value), got "
            f"{response.status_code}: {response.text[:300]}"
        )
    partial_line = {"sku": "AB-123", "quantity": 1, "unit_price": "1"}
    for body in (
        {"billing_address": {"city": "Paris"}},
        {"customer": {"name": "Only A Name"}},
        {"customer": {"email": "only@example.com"}},
        {"lines": [partial_line]},
        {"lines": []},
    ):
        response = client.patch(f"{BASE}/{created['id']}", json=body)
        assert response.status_code == 422, (
            f"{next(iter(body))} is replaced as a whole and must be complete and valid: "
            f"PATCH {body} must be a 422, got {response.status_code}"
        )
    address = dict(created["billing_address"])
    customer = dict(created["customer"])
    line = {"sku": "AB-123", "description": "x", "quantity": 1, "unit_price": "400"}
    for body in (
        {"total": "1.00"},
        {"subtotal": "1.00"},
        {"id": 5},
        {"notes": "hello"},
        {"billing_address": {**address, "state": "CA"}},
        {"billing_address": {**address, "id": 1}},
        {"customer": {**customer, "is_admin": True}},
        {"lines": [{**line, "line_total": "0.01"}]},
        {"lines": [{**line, "colour": "red"}]},
    ):
        response = client.patch(f"{BASE}/{created['id']}", json=body)
        assert response.status_code == 422, (
            f"PATCH with an unknown field must be a 422 as on create, got "
            f"{response.status_code} for {body}"
        )
    _assert_same_invoice(
        client.get(f"{BASE}/{created['id']}").json(),
        created,
        "rejected PATCHes must leave the invoice unchanged",
    )


@pytest.mark.rule("api-design", "errors")
@pytest.mark.requirement("patch-200-or-404")
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
@pytest.mark.requirement("openapi-computed-fields", "openapi-tag")
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
@pytest.mark.requirement("openapi-computed-fields", "openapi-update-optional", "required-fields")
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


# --- every field rule, both sides of each boundary ---------------------------------------


def _with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """The example payload with one (nested) field set; ``...`` as value deletes it."""
    body = _payload()
    target: Any = body
    for part in path[:-1]:
        target = target[part]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return body


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement(
    "customer-name-rule",
    "address-line1-city-rule",
    "postal-code-rule",
    "line-description-rule",
    "customer-email-rule",
    "dates-rule",
    "field-error-loc",
)
def test_string_field_lengths_on_both_sides_of_each_bound(client):
    limits = [
        (("customer", "name"), 100),
        (("billing_address", "line1"), 200),
        (("billing_address", "city"), 100),
        (("billing_address", "postal_code"), 20),
        (("lines", 0, "description"), 200),
    ]
    for path, longest in limits:
        for length in (1, longest):
            invoice = _create(client, _with(path, "x" * length))
            stored: Any = invoice
            for part in path:
                stored = stored[part]
            assert stored == "x" * length, f"{path} of {length} characters must be stored as sent"
        for bad in ("", "x" * (longest + 1)):
            response = client.post(BASE, json=_with(path, bad))
            _assert_loc(response, ["body", *path])
    for bad in ("ada", "ada@", "@example.com", "ada example.com", 42):
        _assert_loc(client.post(BASE, json=_with(("customer", "email"), bad)), ["body", "customer", "email"])
    for field in ("issue_date", "due_date"):
        for bad in ("2025-02-30", "03/01/2025", "tomorrow", "2025-3-1x"):
            _assert_loc(client.post(BASE, json=_with((field,), bad)), ["body", field])


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement("required-fields", "address-line2-rule", "field-error-loc")
def test_every_required_field_is_required_and_line2_is_optional(client):
    required = [
        ("customer",),
        ("customer", "name"),
        ("customer", "email"),
        ("billing_address",),
        ("billing_address", "line1"),
        ("billing_address", "city"),
        ("billing_address", "postal_code"),
        ("billing_address", "country"),
        ("currency",),
        ("issue_date",),
        ("due_date",),
        ("lines",),
        ("lines", 1, "sku"),
        ("lines", 1, "description"),
        ("lines", 1, "quantity"),
        ("lines", 1, "unit_price"),
    ]
    for path in required:
        _assert_loc(client.post(BASE, json=_with(path, ...)), ["body", *path])
    invoice = _create(client, _with(("billing_address", "line2"), ...))
    assert invoice["billing_address"]["line2"] is None, (
        f"line2 is optional and defaults to null: {invoice['billing_address']}"
    )
    invoice = _create(client, _with(("billing_address", "line2"), "Flat 3"))
    assert invoice["billing_address"]["line2"] == "Flat 3", invoice["billing_address"]


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement(
    "unit-price-rule", "discount-rule", "quantity-rule", "lines-count-rule", "money-as-strings"
)
def test_money_and_quantity_accept_their_bounds(client):
    lines = [
        {"sku": "AA-100", "description": "min", "quantity": 1, "unit_price": 0},
        {"sku": "BB-200", "description": "max", "quantity": 1000, "unit_price": "0.01"},
        {"sku": "CC-300", "description": "number", "quantity": 2, "unit_price": 19.99},
        {"sku": "DD-400", "description": "string", "quantity": 1, "unit_price": "19.9"},
        {"sku": "EE-500", "description": "trailing", "quantity": 1, "unit_price": "5.10"},
    ]
    invoice = _create(client, _payload(lines=lines, discount="0.50"))
    prices = [_money(line["unit_price"], "unit_price") for line in invoice["lines"]]
    assert prices == [Decimal("0"), Decimal("0.01"), Decimal("19.99"), Decimal("19.9"), Decimal("5.1")]
    totals = [_money(line["line_total"], "line_total") for line in invoice["lines"]]
    assert totals == [Decimal("0"), Decimal("10"), Decimal("39.98"), Decimal("19.9"), Decimal("5.1")]
    assert _money(invoice["subtotal"], "subtotal") == Decimal("74.98"), invoice["subtotal"]
    assert _money(invoice["discount"], "discount") == Decimal("0.5")
    assert _money(invoice["total"], "total") == Decimal("74.48"), invoice["total"]
    fifty = [
        {"sku": "AB-123", "description": f"n{i}", "quantity": 1, "unit_price": "1"}
        for i in range(50)
    ]
    invoice = _create(client, _payload(lines=fifty, discount="0"))
    assert [line["description"] for line in invoice["lines"]] == [f"n{i}" for i in range(50)], (
        "50 lines are allowed and returned in the order sent"
    )
    for field, bad in (
        ("unit_price", "0.001"),
        ("unit_price", 0.005),
        ("unit_price", "-0.01"),
        ("unit_price", None),
        ("quantity", -1),
        ("quantity", "many"),
    ):
        body = _payload()
        body["lines"][1][field] = bad
        _assert_loc(client.post(BASE, json=body), ["body", "lines", 1, field])
    for bad in ("0.001", 1.234, "-0.01", -5, "ten"):
        _assert_loc(client.post(BASE, json=_payload(discount=bad)), ["body", "discount"])


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement(
    "lines-count-rule", "patch-validates-like-create", "patch-nested-replaced-whole",
    "patch-totals-reflect-update",
)
def test_patch_lines_accept_one_to_fifty_items(client):
    created = _create(client, _payload(discount="0"))
    fifty = [
        {"sku": "AB-123", "description": f"p{i}", "quantity": 1, "unit_price": "2"}
        for i in range(50)
    ]
    response = client.patch(f"{BASE}/{created['id']}", json={"lines": fifty})
    assert response.status_code == 200, (
        f"a PATCH with 50 lines is allowed (1 to 50 line items, as on create), got "
        f"{response.status_code}: {response.text[:300]}"
    )
    updated = response.json()
    assert [line["description"] for line in updated["lines"]] == [f"p{i}" for i in range(50)], (
        "the 50 patched lines are returned in the order sent"
    )
    assert _money(updated["subtotal"], "subtotal") == Decimal("100"), updated["subtotal"]
    one = [{"sku": "AB-123", "description": "only", "quantity": 1, "unit_price": "3"}]
    response = client.patch(f"{BASE}/{created['id']}", json={"lines": one})
    assert response.status_code == 200, (
        f"a PATCH with 1 line is allowed, got {response.status_code}: {response.text[:300]}"
    )
    assert [line["description"] for line in response.json()["lines"]] == ["only"]
    fifty_one = fifty + [dict(fifty[0], description="extra")]
    _assert_loc(
        client.patch(f"{BASE}/{created['id']}", json={"lines": fifty_one}), ["body", "lines"]
    )
    _assert_loc(client.patch(f"{BASE}/{created['id']}", json={"lines": []}), ["body", "lines"])
    _assert_same_invoice(
        client.get(f"{BASE}/{created['id']}").json(),
        response.json(),
        "rejected PATCHes of lines must leave the invoice unchanged",
    )


# --- PATCH: the cross-field rules on both sides of their boundary ------------------------


@pytest.mark.rule("schemas", "errors")
@pytest.mark.requirement(
    "patch-cross-field-on-result",
    "discount-not-above-subtotal",
    "due-not-before-issue",
    "patch-totals-reflect-update",
)
def test_patch_cross_field_boundaries_are_allowed(client):
    created = _create(client, _payload(issue_date="2025-05-10", due_date="2025-06-10"))
    response = client.patch(f"{BASE}/{created['id']}", json={"discount": "309.97"})
    assert response.status_code == 200, (
        f"PATCH of a discount equal to the subtotal is allowed, got {response.status_code}: "
        f"{response.text[:300]}"
    )
    assert _money(response.json()["total"], "total") == 0, response.json()["total"]
    response = client.patch(f"{BASE}/{created['id']}", json={"due_date": "2025-05-10"})
    assert response.status_code == 200, (
        f"PATCH of a due_date equal to the stored issue_date is allowed, got "
        f"{response.status_code}: {response.text[:300]}"
    )
    response = client.patch(f"{BASE}/{created['id']}", json={"issue_date": "2025-05-10"})
    assert response.status_code == 200, response.text[:300]
    exact = [{"sku": "AB-123", "description": "exact", "quantity": 1, "unit_price": "309.97"}]
    response = client.patch(f"{BASE}/{created['id']}", json={"lines": exact})
    assert response.status_code == 200, (
        f"new lines whose subtotal equals the stored discount are allowed, got "
        f"{response.status_code}: {response.text[:300]}"
    )
    updated = response.json()
    assert _money(updated["subtotal"], "subtotal") == Decimal("309.97")
    assert _money(updated["total"], "total") == 0
    response = client.patch(f"{BASE}/{created['id']}", json={"discount": "0", "lines": exact})
    assert response.status_code == 200, response.text[:300]
    assert _money(response.json()["total"], "total") == Decimal("309.97")
    response = client.patch(
        f"{BASE}/{created['id']}", json={"issue_date": "2025-08-01", "due_date": "2025-08-02"}
    )
    assert response.status_code == 200, (
        "moving both dates together is judged on the result, got "
        f"{response.status_code}: {response.text[:300]}"
    )
    response = client.patch(f"{BASE}/{created['id']}", json={"discount": "309.98"})
    _assert_names_field(response, "discount")


# --- persistence and the schema classes --------------------------------------------------


@pytest.mark.rule("database")
@pytest.mark.requirement("persist-in-database")
def test_invoices_are_persisted_in_the_database(client, db, restart_app):
    marker = f"Persisted Customer {uuid.uuid4().hex[:12]}"
    created = _create(client, _with(("customer", "name"), marker))
    tables = [
        row[0]
        for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    ]
    found = False
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        rows = db.execute(f"SELECT * FROM {quoted}").fetchall()  # noqa: S608
        if any(marker in str(value) for row in rows for value in row):
            found = True
            break
    assert found, (
        f"the invoice must be stored in the database given by DATABASE_URL; no table of "
        f"{tables} holds its customer name"
    )
    restart_app()
    response = client.get(f"{BASE}/{created['id']}")
    assert response.status_code == 200, (
        f"the invoice must survive a restart of the app, got {response.status_code}"
    )
    _assert_same_invoice(response.json(), created, "after a restart the invoice must be unchanged")


@pytest.mark.rule("schemas", "structure")
@pytest.mark.requirement("pydantic-v2-features")
def test_schemas_use_pydantic_validators_and_computed_fields(source):
    import ast

    used: set[str] = set()
    for path in source.python_files():
        tree = ast.parse(source.text(path) or "")
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                used.add(node.id)
            elif isinstance(node, ast.Attribute):
                used.add(node.attr)
            elif isinstance(node, ast.alias):
                used.add(node.asname or node.name.split(".")[-1])
    missing = {"field_validator", "model_validator", "computed_field"} - used
    assert not missing, (
        f"the schemas must use Pydantic's field_validator, model_validator and computed_field; "
        f"not found: {sorted(missing)}"
    )
