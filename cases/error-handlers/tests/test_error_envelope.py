"""Hidden suite for error-handlers: one error envelope for every failure of the inventory API.

Besides the app's own endpoints, the suite has a few routes of its own added to the application
(``/__evals__/...``, by the case's shim, in the app's process) that raise exceptions the app's
code never sees coming, to check that the handlers cover *every* unhandled exception and every
``HTTPException``.
"""

from __future__ import annotations

import ast
import builtins
import random
from collections.abc import Iterator
from typing import Any

import pytest
from evals_runtime.probes.leaks import assert_no_internals_leaked

BASE = "/api/v1/products"
PLANTED = "s3cr3t-7f3a9c"  # text planted in the test exceptions; must never be echoed
EVALS_PREFIX = "/__evals__"
SHIM_ERROR_PATH = f"{EVALS_PREFIX}/shim-error"


def _sku() -> str:
    return f"T-{random.getrandbits(48):012X}"


def _create(client: Any, **fields: Any) -> dict[str, Any]:
    body = {"sku": _sku(), "name": "Widget", "price_cents": 250, "stock": 5, **fields}
    response = client.post(BASE, json=body)
    assert response.status_code == 201, (
        f"POST {BASE} with {body} must still return 201, got {response.status_code}: "
        f"{response.text[:300]}"
    )
    return response.json()


def _envelope(response: Any, status: int, code: str) -> dict[str, Any]:
    """Assert the response is the error envelope with this status and code; return `error`."""
    assert response.status_code == status, (
        f"expected status {status} ({code}), got {response.status_code}: {response.text[:300]}"
    )
    content_type = response.headers.get("content-type", "")
    assert content_type.startswith("application/json"), (
        f"error responses must be application/json, got {content_type!r}: {response.text[:200]}"
    )
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, (
        f"the body must be exactly {{'error': {{...}}}}, got {body!r:.300}"
    )
    error = body["error"]
    assert isinstance(error, dict) and set(error) == {"code", "message", "details"}, (
        f"'error' must have exactly the keys code, message, details; got {error!r:.300}"
    )
    assert error["code"] == code, f"error.code must be {code!r}, got {error['code']!r}"
    assert isinstance(error["message"], str) and error["message"].strip(), (
        f"error.message must be a non-empty string, got {error['message']!r}"
    )
    assert isinstance(error["details"], list), (
        f"error.details must be a list, got {error['details']!r}"
    )
    return error


def _fields(error: dict[str, Any]) -> list[str]:
    fields = []
    for item in error["details"]:
        assert isinstance(item, dict) and set(item) == {"field", "message"}, (
            f"each validation detail must be {{'field': ..., 'message': ...}}, got {item!r}"
        )
        assert isinstance(item["message"], str) and item["message"].strip(), (
            f"each validation detail's message must say what is wrong, got {item!r}"
        )
        assert isinstance(item["field"], str), f"a detail's field must be a string: {item!r}"
        fields.append(item["field"])
    return fields


@pytest.fixture(scope="module")
def faulty(client: Any) -> str:
    """Routes that fail in ways the app's own code cannot anticipate.

    The case's shim (``shim/evals_case_shim.py``) adds them to the app, in the app's process,
    before it is served: ``/__evals__/boom/{runtime,value,key,database}`` raise a RuntimeError,
    a ValueError, a KeyError and a SQLAlchemy OperationalError whose messages carry
    ``PLANTED``; ``/__evals__/http/{401,403,418}`` raise ``fastapi.HTTPException`` (the 401
    with ``WWW-Authenticate: Bearer``, detail "Not authenticated"; the 403 "Forbidden zone";
    the 418 "I'm a teapot").
    """
    response = client.get(SHIM_ERROR_PATH)
    problem = None
    if response.status_code != 200:
        problem = f"GET {SHIM_ERROR_PATH} answered {response.status_code}: {response.text[:200]}"
    else:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or "error" not in body:
            problem = f"GET {SHIM_ERROR_PATH} answered {response.text[:200]!r}"
        else:
            problem = body["error"]
    if problem:
        pytest.fail(
            f"the suite's failing routes are missing from the app: {problem}", pytrace=False
        )
    return EVALS_PREFIX


# --- behaviour that must not change ------------------------------------------------------


@pytest.mark.rule("api-design")
@pytest.mark.requirement("success-unchanged")
def test_successful_responses_are_unchanged(client):
    created = _create(client, stock=7)
    assert set(created) == {"id", "sku", "name", "price_cents", "stock"}, created
    product_id = created["id"]
    response = client.get(f"{BASE}/{product_id}")
    assert response.status_code == 200 and response.json() == created, response.text[:300]
    response = client.patch(f"{BASE}/{product_id}", json={"price_cents": 300})
    assert response.status_code == 200 and response.json()["price_cents"] == 300, response.text[
        :300
    ]
    response = client.post(f"{BASE}/{product_id}/stock-adjustments", json={"delta": -2})
    assert response.status_code == 200 and response.json()["stock"] == 5, response.text[:300]
    response = client.get(BASE, params={"sort": "-stock", "limit": 5})
    assert response.status_code == 200 and isinstance(response.json(), list), (
        f"GET {BASE} must still return a JSON list, got {response.status_code}: "
        f"{response.text[:200]}"
    )
    response = client.delete(f"{BASE}/{product_id}")
    assert response.status_code == 204 and response.content == b"", (
        f"DELETE must still be 204 with an empty body, got {response.status_code}"
    )


# --- 404 / 405 ----------------------------------------------------------------------------


@pytest.mark.rule("errors")
@pytest.mark.requirement("product-not-found", "envelope-every-error", "envelope-keys")
def test_unknown_product_is_not_found_on_every_endpoint(client):
    missing = 987_654_321
    responses = {
        "GET": client.get(f"{BASE}/{missing}"),
        "PATCH": client.patch(f"{BASE}/{missing}", json={"name": "x"}),
        "DELETE": client.delete(f"{BASE}/{missing}"),
    }
    for method, response in responses.items():
        assert response.status_code == 404, f"{method} {BASE}/{missing}: expected 404"
        _envelope(response, 404, "not_found")


@pytest.mark.rule("errors")
@pytest.mark.requirement("product-not-found", "envelope-keys", "one-format")
def test_stock_adjustment_of_unknown_product_is_not_found(client):
    response = client.post(f"{BASE}/987654321/stock-adjustments", json={"delta": 1})
    _envelope(response, 404, "not_found")
    assert_no_internals_leaked(response)


@pytest.mark.rule("errors")
@pytest.mark.requirement("route-not-found", "envelope-every-error", "envelope-keys")
def test_unknown_route_is_not_found(client):
    response = client.get("/api/v1/no-such-resource")
    _envelope(response, 404, "not_found")
    response = client.get("/totally/unknown")
    _envelope(response, 404, "not_found")


@pytest.mark.rule("errors")
@pytest.mark.requirement("method-not-allowed", "envelope-every-error", "envelope-keys")
def test_wrong_method_is_method_not_allowed(client):
    _envelope(client.put(BASE, json={}), 405, "method_not_allowed")
    _envelope(client.put(f"{BASE}/1", json={}), 405, "method_not_allowed")


# --- 409 ----------------------------------------------------------------------------------


@pytest.mark.rule("errors", "database", "security")
@pytest.mark.requirement("duplicate-sku", "envelope-keys", "one-format")
def test_duplicate_sku_is_conflict(client):
    created = _create(client)
    response = client.post(
        BASE, json={"sku": created["sku"], "name": "Other", "price_cents": 1, "stock": 0}
    )
    _envelope(response, 409, "conflict")
    assert_no_internals_leaked(response)
    # The session recovered: the API keeps working after the failed insert.
    _create(client)
    response = client.get(f"{BASE}/{created['id']}")
    assert response.status_code == 200 and response.json()["name"] == "Widget"


@pytest.mark.rule("errors")
@pytest.mark.requirement("insufficient-stock", "envelope-keys")
def test_insufficient_stock_is_409_and_leaves_stock_unchanged(client):
    created = _create(client, stock=3)
    response = client.post(f"{BASE}/{created['id']}/stock-adjustments", json={"delta": -4})
    _envelope(response, 409, "insufficient_stock")
    assert_no_internals_leaked(response)
    stock = client.get(f"{BASE}/{created['id']}").json()["stock"]
    assert stock == 3, f"a rejected adjustment must leave the stock at 3, got {stock}"


# --- 422 ----------------------------------------------------------------------------------


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("request-validation", "validation-details", "validation-field-path", "envelope-keys")
def test_body_validation_errors_are_reshaped(client):
    response = client.post(BASE, json={"sku": "bad sku!", "name": "", "price_cents": -1})
    error = _envelope(response, 422, "validation_error")
    fields = _fields(error)
    assert sorted(fields) == ["name", "price_cents", "sku"], (
        "one detail per problem (three invalid fields), named without the 'body' prefix; "
        f"got fields {fields}"
    )
    product = _create(client)
    response = client.post(f"{BASE}/{product['id']}/stock-adjustments", json={"delta": 0})
    error = _envelope(response, 422, "validation_error")
    assert "delta" in _fields(error), f"the zero delta must be reported on 'delta': {error}"


@pytest.mark.rule("errors")
@pytest.mark.requirement("request-validation", "validation-field-single", "validation-details")
def test_missing_and_malformed_bodies_are_validation_errors(client):
    response = client.post(BASE)
    error = _envelope(response, 422, "validation_error")
    assert set(_fields(error)) == {"body"}, (
        f"a missing body is located at ['body'], so its field is 'body'; got {_fields(error)}"
    )
    response = client.post(
        BASE, content=b'{"sku": "ABC-1", "name": ', headers={"content-type": "application/json"}
    )
    error = _envelope(response, 422, "validation_error")
    assert error["details"], "malformed JSON must be reported in details"


@pytest.mark.rule("errors")
@pytest.mark.requirement("request-validation", "validation-field-path")
def test_query_and_path_validation_errors_name_the_parameter(client):
    error = _envelope(client.get(BASE, params={"limit": 0}), 422, "validation_error")
    assert set(_fields(error)) == {"limit"}, f"expected field 'limit', got {_fields(error)}"
    error = _envelope(client.get(f"{BASE}/not-a-number"), 422, "validation_error")
    assert set(_fields(error)) == {"product_id"}, (
        f"expected field 'product_id', got {_fields(error)}"
    )


@pytest.mark.rule("errors", "security")
@pytest.mark.requirement("unknown-sort", "sort-field", "one-format")
def test_unknown_sort_field_is_a_validation_error(client):
    response = client.get(BASE, params={"sort": "password"})
    error = _envelope(response, 422, "validation_error")
    assert "sort" in _fields(error), f"the error must name the 'sort' field: {error}"
    assert_no_internals_leaked(response)


# --- 500 ----------------------------------------------------------------------------------


def _assert_generic_500(response: Any) -> None:
    error = _envelope(response, 500, "internal_error")
    assert error["message"] == "Internal server error", (
        f"a 500's message must be exactly 'Internal server error', got {error['message']!r}"
    )
    assert error["details"] == [], f"a 500 has no details, got {error['details']!r}"
    assert_no_internals_leaked(response, secrets=[PLANTED, "kaboom", "database is locked"])


@pytest.mark.rule("errors", "security")
@pytest.mark.requirement("unhandled-500", "internal-error-body", "no-internals-leak", "every-unhandled-exception")
def test_unhandled_exception_is_a_generic_500(client, faulty):
    _assert_generic_500(client.get(f"{faulty}/boom/runtime"))
    _assert_generic_500(client.get(f"{faulty}/boom/key"))


@pytest.mark.rule("errors", "security", "database")
@pytest.mark.requirement("unhandled-500", "internal-error-body", "no-internals-leak")
def test_unhandled_database_error_hides_the_sql(client, faulty):
    _assert_generic_500(client.get(f"{faulty}/boom/database"))


@pytest.mark.rule("errors", "security")
@pytest.mark.requirement("unhandled-500", "internal-error-body", "no-internals-leak")
def test_unhandled_value_error_is_a_500_not_a_client_error(client, faulty):
    _assert_generic_500(client.get(f"{faulty}/boom/value"))


# --- HTTPException from application code ---------------------------------------------------


@pytest.mark.rule("errors")
@pytest.mark.requirement("http-exception-codes", "http-exception-message-headers")
def test_http_exceptions_use_the_envelope_and_keep_headers(client, faulty):
    response = client.get(f"{faulty}/http/401")
    error = _envelope(response, 401, "unauthorized")
    assert error["message"] == "Not authenticated", (
        f"message must be the HTTPException's detail, got {error['message']!r}"
    )
    assert response.headers.get("www-authenticate") == "Bearer", (
        "headers set on the HTTPException (WWW-Authenticate) must be kept, got "
        f"{dict(response.headers)}"
    )
    error = _envelope(client.get(f"{faulty}/http/403"), 403, "forbidden")
    assert error["message"] == "Forbidden zone", error
    error = _envelope(client.get(f"{faulty}/http/418"), 418, "http_error")
    assert error["message"] == "I'm a teapot", error


# --- structure and docs --------------------------------------------------------------------


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run at import time (into ``if``/``try``/``with`` blocks, not functions)."""
    for node in body:
        yield node
        if isinstance(node, ast.If | ast.With):
            yield from _top_level(node.body)
            yield from _top_level(getattr(node, "orelse", []))
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _top_level(block)
            for handler in node.handlers:
                yield from _top_level(handler.body)


def _is_exception_base(source: Any, module: str, base: ast.expr, depth: int = 0) -> bool:
    """Whether a base class expression names a subclass of Exception (read, not imported).

    Classes of the sample (this module, or imported from ``app.*``) are followed through
    their own bases; other names count when they are built-in exceptions or named like one
    (``HTTPException``, ``SQLAlchemyError``).
    """
    if depth > 8:
        return False
    if isinstance(base, ast.Subscript):  # Generic[...]-style bases
        base = base.value
    if isinstance(base, ast.Name):
        name = base.id
    elif isinstance(base, ast.Attribute):
        name = base.attr
    else:
        return False
    tree = source.tree(module)
    if isinstance(base, ast.Name) and tree is not None:
        for node in _top_level(tree.body):
            if isinstance(node, ast.ClassDef) and node.name == name:
                return any(_is_exception_base(source, module, b, depth + 1) for b in node.bases)
            if isinstance(node, ast.ImportFrom) and node.module is not None:
                origin = node.module
                if node.level:
                    package = module.split(".")[: -node.level]
                    origin = ".".join([*package, node.module])
                for alias in node.names:
                    followed = origin.split(".")[0] == "app" and source.tree(origin) is not None
                    if (alias.asname or alias.name) == name and followed:
                        return _is_exception_base(
                            source, origin, ast.Name(id=alias.name), depth + 1
                        )
    builtin = getattr(builtins, name, None)
    if isinstance(builtin, type) and issubclass(builtin, Exception):
        return True
    return name.endswith(("Error", "Exception"))


@pytest.mark.rule("structure", "errors")
@pytest.mark.requirement("exceptions-module", "one-format")
def test_custom_exceptions_live_in_core_exceptions(source):
    module = "app.core.exceptions"
    tree = source.tree(module)
    assert tree is not None, (
        "app/core/exceptions.py must exist (and parse) and define the custom exception classes"
    )
    classes = [
        node.name
        for node in _top_level(tree.body)
        if isinstance(node, ast.ClassDef)
        and any(_is_exception_base(source, module, base) for base in node.bases)
    ]
    assert len(classes) >= 2, (
        "app/core/exceptions.py must define the custom exception classes (a base and its "
        f"subclasses); found {classes}"
    )


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    for _ in range(10):
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
            continue
        branches = schema.get("allOf") or []
        if len(branches) == 1:
            schema = branches[0]
            continue
        return schema
    return schema


@pytest.mark.rule("docs", "errors")
@pytest.mark.requirement("openapi-envelope")
def test_openapi_documents_the_error_envelope(client):
    spec = client.get("/openapi.json").json()
    paths = spec.get("paths", {})
    item = next((p for p in paths if p.startswith(f"{BASE}/{{") and p.count("/") == 4), None)
    collection = next((p for p in paths if p.rstrip("/") == BASE), None)
    assert item and collection, f"product paths missing from OpenAPI: {sorted(paths)}"
    for path, method, status in ((item, "get", "404"), (collection, "post", "409")):
        response = paths[path].get(method, {}).get("responses", {}).get(status)
        assert response, f"{method.upper()} {path} must document its {status} response"
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        assert schema, f"{method.upper()} {path} {status} must document a JSON schema"
        properties = _resolve(spec, schema).get("properties", {})
        assert "error" in properties, (
            f"{method.upper()} {path} {status} must use the error envelope schema "
            f"(an object with an 'error' property); got properties {sorted(properties)}"
        )


# --- generalised checks: every field, every method, both sides of each boundary --------------


SORTABLE = ("id", "sku", "name", "price_cents", "stock")


@pytest.mark.rule("api-design")
@pytest.mark.requirement("success-unchanged")
def test_every_sortable_field_still_sorts_both_ways(client):
    for name, price, stock in (("Mallet", 900, 2), ("Anvil", 100, 9), ("Zither", 500, 0)):
        _create(client, name=name, price_cents=price, stock=stock)
    for field in SORTABLE:
        for descending in (False, True):
            sort = f"-{field}" if descending else field
            response = client.get(BASE, params={"sort": sort, "limit": 100})
            assert response.status_code == 200, (
                f"GET {BASE}?sort={sort} must still answer 200, got {response.status_code}: "
                f"{response.text[:200]}"
            )
            values = [item[field] for item in response.json()]
            assert len(values) >= 3, f"GET {BASE}?sort={sort} lost products: {values}"
            assert values == sorted(values, reverse=descending), (
                f"GET {BASE}?sort={sort} must still sort by {field} "
                f"({'descending' if descending else 'ascending'}); got {values}"
            )


@pytest.mark.rule("api-design", "errors")
@pytest.mark.requirement("success-unchanged", "request-validation", "validation-field-path")
def test_list_pagination_bounds_are_kept(client):
    for _ in range(2):
        _create(client)
    for params, size in (({"limit": 1}, 1), ({"limit": 100}, None), ({"offset": 0}, None)):
        response = client.get(BASE, params=params)
        assert response.status_code == 200, (
            f"GET {BASE} with {params} must still answer 200, got {response.status_code}: "
            f"{response.text[:200]}"
        )
        if size is not None:
            assert len(response.json()) == size, f"limit={size} must return {size} item(s)"
    everything = client.get(BASE, params={"limit": 100}).json()
    shifted = client.get(BASE, params={"limit": 100, "offset": 1}).json()
    assert shifted == everything[1:], "offset=1 must skip exactly the first product"
    for params, field in (({"limit": 101}, "limit"), ({"offset": -1}, "offset")):
        error = _envelope(client.get(BASE, params=params), 422, "validation_error")
        assert _fields(error) == [field], (
            f"GET {BASE} with {params}: expected one detail on {field!r}, got {_fields(error)}"
        )


@pytest.mark.rule("errors")
@pytest.mark.requirement("insufficient-stock", "success-unchanged")
def test_stock_may_reach_zero_but_never_below(client):
    created = _create(client, stock=3)
    url = f"{BASE}/{created['id']}/stock-adjustments"
    response = client.post(url, json={"delta": 4})
    assert response.status_code == 200 and response.json()["stock"] == 7, response.text[:300]
    response = client.post(url, json={"delta": -7})
    assert response.status_code == 200, (
        f"removing exactly the stock (7 of 7) leaves 0, not a negative stock: must answer 200, "
        f"got {response.status_code}: {response.text[:300]}"
    )
    assert response.json() == {**created, "stock": 0}, response.text[:300]
    response = client.post(url, json={"delta": -1})
    _envelope(response, 409, "insufficient_stock")
    stock = client.get(f"{BASE}/{created['id']}").json()["stock"]
    assert stock == 0, f"a rejected adjustment must leave the stock at 0, got {stock}"


@pytest.mark.rule("errors")
@pytest.mark.requirement("route-not-found", "method-not-allowed", "envelope-every-error")
def test_routing_errors_use_the_envelope_for_every_method(client):
    created = _create(client)
    item = f"{BASE}/{created['id']}"
    for method, url in (
        ("POST", "/api/v1/no-such-resource"),
        ("DELETE", "/nowhere"),
        ("PATCH", f"{item}/no-such-child"),
        ("GET", f"{item}/stock-adjustments/extra"),
    ):
        _envelope(client.request(method, url), 404, "not_found")
    for method, url in (
        ("DELETE", BASE),
        ("PATCH", BASE),
        ("POST", item),
        ("PUT", item),
        ("GET", f"{item}/stock-adjustments"),
        ("DELETE", f"{item}/stock-adjustments"),
    ):
        _envelope(client.request(method, url), 405, "method_not_allowed")


@pytest.mark.rule("errors")
@pytest.mark.requirement("request-validation", "validation-details", "validation-field-path")
def test_validation_errors_on_every_endpoint_name_their_field(client):
    created = _create(client)
    item = f"{BASE}/{created['id']}"
    cases = (
        ("PATCH", item, {"name": ""}, ["name"]),
        ("PATCH", item, {"price_cents": -5}, ["price_cents"]),
        ("POST", f"{item}/stock-adjustments", {"delta": "many"}, ["delta"]),
        ("POST", f"{item}/stock-adjustments", {}, ["delta"]),
        ("POST", BASE, {"sku": "OK-SKU-1", "name": "x", "price_cents": "free"}, ["price_cents"]),
        ("POST", BASE, {"sku": "OK-SKU-1", "name": "x", "price_cents": 1, "stock": -1}, ["stock"]),
        ("DELETE", f"{BASE}/abc", None, ["product_id"]),
        ("PATCH", f"{BASE}/abc", {"name": "y"}, ["product_id"]),
    )
    for method, url, body, fields in cases:
        response = client.request(method, url, json=body)
        error = _envelope(response, 422, "validation_error")
        assert set(_fields(error)) == set(fields), (
            f"{method} {url} with {body!r}: expected details on {fields}, got {_fields(error)}"
        )
    assert client.get(item).json() == created, "rejected requests must not change the product"


@pytest.mark.rule("errors")
@pytest.mark.requirement("request-validation", "validation-field-path", "validation-field-single")
def test_validation_field_joins_nested_locations_and_keeps_single_ones(client, faulty):
    url = f"{faulty}/nested"
    response = client.post(url, json={"items": [{"qty": 1}, {"qty": "lots"}]})
    error = _envelope(response, 422, "validation_error")
    assert _fields(error) == ["items.1.qty"], (
        f"['body', 'items', 1, 'qty'] must give the field 'items.1.qty', got {_fields(error)}"
    )
    response = client.post(url, json={"items": [{}]})
    error = _envelope(response, 422, "validation_error")
    assert _fields(error) == ["items.0.qty"], (
        f"['body', 'items', 0, 'qty'] must give the field 'items.0.qty', got {_fields(error)}"
    )
    response = client.post(url, json={"items": "none"})
    assert _fields(_envelope(response, 422, "validation_error")) == ["items"]
    for body in ([1, 2], "text", 5):
        error = _envelope(client.post(BASE, json=body), 422, "validation_error")
        assert _fields(error) == ["body"], (
            f"a body that is not an object ({body!r}) is located at ['body'], so its field is "
            f"'body'; got {_fields(error)}"
        )


@pytest.mark.rule("errors", "security")
@pytest.mark.requirement("unknown-sort", "sort-field")
def test_every_unsortable_field_is_a_validation_error(client):
    for sort in ("-password", "price", "ID", "stock desc", "-", "name;drop"):
        response = client.get(BASE, params={"sort": sort})
        error = _envelope(response, 422, "validation_error")
        assert "sort" in _fields(error), f"sort={sort!r}: the error must name 'sort': {error}"
        assert_no_internals_leaked(response)


@pytest.mark.rule("errors", "security")
@pytest.mark.requirement(
    "unhandled-500", "internal-error-body", "no-internals-leak", "every-unhandled-exception"
)
def test_every_kind_of_unhandled_exception_is_a_generic_500(client, faulty):
    for path in ("boom/zero", "boom/assert", "boom/custom", "boom/dependency"):
        _assert_generic_500(client.get(f"{faulty}/{path}"))
    _assert_generic_500(client.post(f"{faulty}/boom/post"))


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    402: "http_error",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "http_error",
    422: "validation_error",
    429: "too_many_requests",
    451: "http_error",
}


@pytest.mark.rule("errors")
@pytest.mark.requirement("http-exception-codes", "http-exception-message-headers")
def test_every_http_exception_status_maps_to_its_code(client, faulty):
    for status, code in HTTP_CODES.items():
        response = client.get(f"{faulty}/http-status/{status}")
        error = _envelope(response, status, code)
        assert error["message"] == f"Evals detail {status}", (
            f"HTTPException({status}): message must be its detail, got {error['message']!r}"
        )
        assert error["details"] == [], f"HTTPException({status}): details must be []: {error}"
        assert response.headers.get("x-evals-header") == f"kept-{status}", (
            f"HTTPException({status}): the headers it carries must be kept, got "
            f"{dict(response.headers)}"
        )
    error = _envelope(client.get(f"{faulty}/http-starlette"), 409, "conflict")
    assert error["message"] == "Starlette conflict", error
    _envelope(client.get(f"{faulty}/http-object-detail"), 400, "bad_request")


@pytest.mark.rule("structure", "errors")
@pytest.mark.requirement("service-raises-domain")
def test_service_layer_builds_no_http_responses(source):
    http_names = {
        "HTTPException",
        "JSONResponse",
        "Response",
        "PlainTextResponse",
        "HTMLResponse",
        "ORJSONResponse",
        "UJSONResponse",
    }
    files = [f for f in source.python_files() if "app/services/" in str(f).replace("\\", "/")]
    assert files, "the service layer (app/services/) must still exist"
    for path in files:
        module = str(path).replace("\\", "/").removesuffix(".py")
        module = module[module.index("app/services/") :].replace("/", ".")
        tree = source.tree(module)
        assert tree is not None, f"{path} must parse"
        used = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in http_names:
                used.add(node.id)
            elif isinstance(node, ast.Attribute) and node.attr in http_names:
                used.add(node.attr)
            elif isinstance(node, ast.ImportFrom) and node.module and (
                node.module.endswith("responses") or node.module.startswith("starlette")
            ):
                used.add(f"from {node.module} import ...")
        assert not used, (
            f"{path}: the service layer raises domain exceptions and builds no HTTP responses; "
            f"it uses {sorted(used)}"
        )


@pytest.mark.rule("api-design")
@pytest.mark.requirement("success-unchanged")
def test_default_page_is_still_fifty_products(client):
    existing = len(client.get(BASE, params={"limit": 100}).json())
    for _ in range(max(0, 51 - existing)):
        _create(client)
    page = client.get(BASE)
    assert page.status_code == 200, page.text[:200]
    assert len(page.json()) == 50, (
        f"GET {BASE} without limit must still return 50 products, got {len(page.json())}"
    )
    assert page.json() == client.get(BASE, params={"limit": 100}).json()[:50], (
        f"GET {BASE} without offset must still start at the first product"
    )
