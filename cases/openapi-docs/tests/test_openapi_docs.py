"""Hidden suite for `openapi-docs`: complete the OpenAPI documentation of the Inventory API.

The documentation tests read the schema the app serves at `/openapi.json` (tags, summaries,
descriptions, field descriptions and examples, request/response examples, documented error
responses, response models, `/api/v1` versioning). The behaviour tests pin what the API did
before the retrofit: documenting must not change it (only the `/api/v1` prefix is new).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

import pytest

API = "/api/v1"
METHODS = ("get", "post", "put", "patch", "delete")

# (method, path) -> (tag, success status) of every operation the API must document.
EXPECTED = {
    ("post", f"{API}/categories"): ("categories", "201"),
    ("get", f"{API}/categories"): ("categories", "200"),
    ("get", f"{API}/categories/{{category_id}}"): ("categories", "200"),
    ("post", f"{API}/products"): ("products", "201"),
    ("get", f"{API}/products"): ("products", "200"),
    ("get", f"{API}/products/{{product_id}}"): ("products", "200"),
    ("patch", f"{API}/products/{{product_id}}"): ("products", "200"),
    ("delete", f"{API}/products/{{product_id}}"): ("products", "204"),
}
NOT_FOUND = [op for op in EXPECTED if "{" in op[1]] + [("post", f"{API}/products")]
CONFLICT = [
    ("post", f"{API}/categories"),
    ("post", f"{API}/products"),
    ("patch", f"{API}/products/{{product_id}}"),
]
# FastAPI's own validation-error schemas are not the app's to document.
FRAMEWORK_SCHEMAS = {"HTTPValidationError", "ValidationError"}
MISSING_ID = 987_654_321
# The error bodies the API answered before the retrofit ("same response bodies").
NO_CATEGORY = "Category not found"
NO_PRODUCT = "Product not found"
SKU_TAKEN = "SKU already exists"
CATEGORY_TAKEN = "Category name already exists"
CATEGORY_FIELDS = {"id", "name", "description"}
PRODUCT_FIELDS = {"id", "name", "sku", "price", "quantity", "category_id", "created_at"}


# --- helpers --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec(client) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200, f"GET /openapi.json answered {response.status_code}"
    return response.json()


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def _op(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    op = spec.get("paths", {}).get(path, {}).get(method)
    assert op is not None, (
        f"{method.upper()} {path} is not in /openapi.json; documented paths: "
        f"{sorted(spec.get('paths', {}))}"
    )
    return op


def _resolve(spec: dict[str, Any], schema: dict[str, Any] | None) -> dict[str, Any]:
    """Follow `$ref` (and a single-element `allOf`) to the component schema."""
    seen = 0
    while isinstance(schema, dict) and seen < 10:
        seen += 1
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = spec.get("components", {}).get("schemas", {}).get(name, {})
        elif isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
            schema = schema["allOf"][0]
        else:
            break
    return schema or {}


def _app_schemas(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    schemas = spec.get("components", {}).get("schemas", {})
    return {
        name: schema
        for name, schema in schemas.items()
        if name not in FRAMEWORK_SCHEMAS and isinstance(schema.get("properties"), dict)
    }


def _is_nested_model(prop: dict[str, Any]) -> bool:
    """A property whose value is another documented object (its own fields carry examples)."""
    if "$ref" in prop or "allOf" in prop:
        return True
    items = prop.get("items")
    if isinstance(items, dict) and "$ref" in items:
        return True
    variants = prop.get("anyOf") or prop.get("oneOf") or []
    return any(
        _is_nested_model(v) for v in variants if isinstance(v, dict) and v != {"type": "null"}
    )


def _variants(prop: dict[str, Any]) -> list[dict[str, Any]]:
    """The property and, for an optional field (``X | None``), its non-null variants: a
    description given on an ``Annotated`` type ends up inside ``anyOf``."""
    nested = [
        v
        for v in (prop.get("anyOf") or prop.get("oneOf") or [])
        if isinstance(v, dict) and v.get("type") != "null"
    ]
    return [prop, *nested]


def _has_description(prop: dict[str, Any]) -> bool:
    return any((v.get("description") or "").strip() for v in _variants(prop))


def _has_examples(prop: dict[str, Any]) -> bool:
    return any(v.get("examples") or "example" in v for v in _variants(prop))


def _json_media(section: dict[str, Any]) -> dict[str, Any] | None:
    return (section.get("content") or {}).get("application/json")


def _example_values(spec: dict[str, Any], media: dict[str, Any]) -> list[Any]:
    """Every example offered for a JSON body: on the media type or on its (item) schema."""
    found: list[Any] = []
    if "example" in media:
        found.append(media["example"])
    for example in (media.get("examples") or {}).values():
        if isinstance(example, dict) and "value" in example:
            found.append(example["value"])
    schema = media.get("schema") or {}
    target = _resolve(spec, schema)
    if target.get("type") == "array" and isinstance(target.get("items"), dict):
        target = _resolve(spec, target["items"])
    found.extend(target.get("examples") or [])
    if "example" in target:
        found.append(target["example"])
    return found


def _body_schema(spec: dict[str, Any], media: dict[str, Any]) -> dict[str, Any]:
    schema = _resolve(spec, media.get("schema") or {})
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        schema = _resolve(spec, schema["items"])
    return schema


def _check_example(spec: dict[str, Any], media: dict[str, Any], where: str) -> list[str]:
    schema = _body_schema(spec, media)
    examples = [e for e in _example_values(spec, media) if isinstance(e, dict | list)]
    if not examples:
        return [f"{where}: no example (set `examples` on the model or the media type)"]
    problems: list[str] = []
    required = set(schema.get("required") or [])
    known = set((schema.get("properties") or {}).keys())
    for example in examples:
        sample = example[0] if isinstance(example, list) and example else example
        if not isinstance(sample, dict):
            continue
        missing = required - set(sample)
        unknown = set(sample) - known if known else set()
        if missing:
            problems.append(
                f"{where}: example {sample!r} lacks required field(s) {sorted(missing)}"
            )
        if unknown:
            problems.append(f"{where}: example {sample!r} has unknown field(s) {sorted(unknown)}")
    return problems


def _sku() -> str:
    return "SKU-" + uuid.uuid4().hex[:10].upper()


def _category(client: Any) -> dict[str, Any]:
    name = f"cat-{uuid.uuid4().hex[:10]}"
    response = client.post(f"{API}/categories", json={"name": name, "description": "d"})
    assert response.status_code == 201, (
        f"precondition: POST {API}/categories answered {response.status_code}: {response.text}"
    )
    return response.json()


def _product(client: Any, category_id: int, **overrides: Any) -> dict[str, Any]:
    body = {
        "name": "Drill",
        "sku": _sku(),
        "price": 89.9,
        "quantity": 3,
        "category_id": category_id,
        **overrides,
    }
    response = client.post(f"{API}/products", json=body)
    assert response.status_code == 201, (
        f"precondition: POST {API}/products answered {response.status_code}: {response.text}"
    )
    return response.json()


def _assert_detail(response: Any, status: int, what: str, message: str) -> None:
    assert response.status_code == status, (
        f"{what} must still answer {status}, got {response.status_code}: {response.text[:300]}"
    )
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"detail"} and isinstance(body["detail"], str), (
        f"{what}: the error body must stay {{'detail': '<message>'}} (the documented "
        f"ErrorResponse), got {body!r}"
    )
    assert body == {"detail": message}, (
        f"{what}: the error body must stay exactly {{'detail': {message!r}}}, got {body!r}"
    )


# --- application metadata and versioning ----------------------------------------------------


@pytest.mark.rule("docs")
@pytest.mark.requirement("app-metadata")
def test_app_metadata(spec):
    info = spec.get("info", {})
    assert info.get("title") == "Inventory API", f"info.title must be 'Inventory API': {info}"
    assert info.get("version") == "1.0.0", f"info.version must be '1.0.0': {info}"
    description = (info.get("description") or "").strip()
    assert len(description) >= 20, (
        f"info.description must describe the API (at least a sentence), got {description!r}"
    )


@pytest.mark.rule("docs", "api-design")
@pytest.mark.requirement("versioned-routes")
def test_routes_under_api_v1(spec):
    paths = sorted(spec.get("paths", {}))
    outside = [p for p in paths if not p.startswith(f"{API}/")]
    assert not outside, f"every route must be served under {API}/, these are not: {outside}"
    present = {(m, p) for m, p, _ in _operations(spec)}
    missing = sorted(set(EXPECTED) - present)
    assert not missing, (
        f"operations missing from /openapi.json: {[f'{m.upper()} {p}' for m, p in missing]}"
    )


# --- tags, summaries, descriptions, parameters ----------------------------------------------


@pytest.mark.rule("docs")
@pytest.mark.requirement("tags-declared")
def test_tags_declared_with_descriptions(spec):
    declared = {t.get("name"): (t.get("description") or "").strip() for t in spec.get("tags", [])}
    for name in ("categories", "products"):
        assert name in declared, (
            f"tag {name!r} must be declared in the top-level `tags` (FastAPI(openapi_tags=...)),"
            f" declared: {sorted(declared)}"
        )
        assert declared[name], f"tag {name!r} is declared without a description"
    used = {tag for _, _, op in _operations(spec) for tag in op.get("tags", [])}
    undeclared = sorted(used - {n for n, d in declared.items() if d})
    assert not undeclared, (
        f"tags used by operations but not declared with a description: {undeclared}"
    )


@pytest.mark.rule("docs", "api-design")
@pytest.mark.requirement("tag-per-resource")
def test_operations_tagged_by_resource(spec):
    wrong = []
    for (method, path), (tag, _) in EXPECTED.items():
        tags = _op(spec, method, path).get("tags") or []
        if tags != [tag]:
            wrong.append(f"{method.upper()} {path} has tags {tags}, expected [{tag!r}]")
    assert not wrong, "each operation must carry its resource's tag:\n" + "\n".join(wrong)


def _generated_summary(method: str, path: str, op: dict[str, Any]) -> str | None:
    """The summary FastAPI derives from the endpoint's function name when none is given.

    The default operationId is ``<function name><path>_<method>`` with non-word characters
    replaced by ``_``, so the function name can be read back from it. ``None`` when the app
    generates its own operation ids (the name is then unknown).
    """
    suffix = re.sub(r"\W", "_", path) + "_" + method
    operation_id = op.get("operationId") or ""
    if not operation_id.endswith(suffix) or len(operation_id) == len(suffix):
        return None
    return operation_id[: -len(suffix)].replace("_", " ").title()


@pytest.mark.rule("docs")
@pytest.mark.requirement("explicit-summary")
def test_operations_have_explicit_summaries(spec):
    missing = []
    for method, path, op in _operations(spec):
        summary = (op.get("summary") or "").strip()
        if not summary or summary == _generated_summary(method, path, op):
            missing.append(f"{method.upper()} {path} (summary {summary!r})")
    assert not missing, (
        "every operation needs an explicit summary (summary=...), not the one FastAPI "
        "derives from the function name:\n" + "\n".join(missing)
    )


@pytest.mark.rule("docs")
@pytest.mark.requirement("operation-description")
def test_operations_have_descriptions(spec):
    missing = []
    for method, path, op in _operations(spec):
        description = (op.get("description") or "").strip()
        if not description or description == (op.get("summary") or "").strip():
            missing.append(f"{method.upper()} {path}")
    assert not missing, (
        "every operation needs a description (description=... or a docstring) that says more "
        "than its summary:\n" + "\n".join(missing)
    )


@pytest.mark.rule("docs")
@pytest.mark.requirement("parameter-descriptions")
def test_parameters_have_descriptions(spec):
    missing = []
    for method, path, op in _operations(spec):
        for param in op.get("parameters", []):
            text = param.get("description") or (param.get("schema") or {}).get("description")
            if not (text or "").strip():
                missing.append(f"{method.upper()} {path}: {param.get('in')} '{param.get('name')}'")
    assert not missing, "path and query parameters need a description:\n" + "\n".join(missing)


# --- schema fields --------------------------------------------------------------------------


@pytest.mark.rule("docs", "schemas")
@pytest.mark.requirement("field-docs")
def test_schema_fields_have_descriptions(spec):
    schemas = _app_schemas(spec)
    assert schemas, "no request/response models in components.schemas"
    missing = [
        f"{name}.{field}"
        for name, schema in schemas.items()
        for field, prop in schema["properties"].items()
        if not _has_description(prop)
    ]
    assert not missing, (
        "every field of every request/response model needs Field(description=...): "
        + ", ".join(missing)
    )


@pytest.mark.rule("docs", "schemas")
@pytest.mark.requirement("field-docs")
def test_schema_fields_have_examples(spec):
    missing = [
        f"{name}.{field}"
        for name, schema in _app_schemas(spec).items()
        for field, prop in schema["properties"].items()
        if not _is_nested_model(prop) and not _has_examples(prop)
    ]
    assert not missing, (
        "every field of every request/response model needs Field(examples=[...]): "
        + ", ".join(missing)
    )


# --- request and response examples ----------------------------------------------------------


@pytest.mark.rule("docs")
@pytest.mark.requirement("whole-body-examples")
def test_request_bodies_have_examples(spec):
    problems: list[str] = []
    bodies = 0
    for method, path, op in _operations(spec):
        media = _json_media(op.get("requestBody") or {})
        if media is None:
            continue
        bodies += 1
        problems += _check_example(spec, media, f"{method.upper()} {path} request body")
    assert bodies >= 3, f"expected the 3 JSON request bodies to be documented, found {bodies}"
    assert not problems, (
        "each request body needs a complete example (model_config json_schema_extra "
        "'examples', or openapi_examples):\n" + "\n".join(problems)
    )


@pytest.mark.rule("docs")
@pytest.mark.requirement("whole-body-examples")
def test_success_responses_have_examples(spec):
    problems: list[str] = []
    for method, path, op in _operations(spec):
        for code, response in op.get("responses", {}).items():
            media = _json_media(response)
            if code.startswith("2") and media is not None:
                problems += _check_example(spec, media, f"{method.upper()} {path} -> {code}")
    assert not problems, "each success response needs a complete example:\n" + "\n".join(problems)


@pytest.mark.rule("docs", "schemas", "api-design")
@pytest.mark.requirement("response-model-status")
def test_success_responses_declare_models(spec):
    problems = []
    for (method, path), (_, status) in EXPECTED.items():
        responses = _op(spec, method, path).get("responses", {})
        success = sorted(code for code in responses if code.startswith("2"))
        if success != [status]:
            problems.append(
                f"{method.upper()} {path}: documents {success}, the API answers {status}"
            )
            continue
        media = _json_media(responses[status])
        if status == "204":
            if media is not None:
                problems.append(f"{method.upper()} {path}: a 204 must not document a body")
            continue
        schema = _body_schema(spec, media or {})
        if not schema.get("properties"):
            problems.append(
                f"{method.upper()} {path} -> {status}: no response model (response schema "
                f"{(media or {}).get('schema')!r})"
            )
    assert not problems, (
        "every route must declare its status code and response model:\n" + "\n".join(problems)
    )


# --- documented errors ----------------------------------------------------------------------


def _error_problems(spec: dict[str, Any], ops: list[tuple[str, str]], code: str) -> list[str]:
    problems = []
    for method, path in ops:
        response = _op(spec, method, path).get("responses", {}).get(code)
        if response is None:
            problems.append(f"{method.upper()} {path}: {code} not documented")
            continue
        props = _body_schema(spec, _json_media(response) or {}).get("properties") or {}
        if (props.get("detail") or {}).get("type") != "string":
            problems.append(
                f"{method.upper()} {path}: the {code} response must use the error model "
                f"{{'detail': string}}, got properties {sorted(props)}"
            )
    return problems


@pytest.mark.rule("docs", "errors")
@pytest.mark.requirement("error-404-documented")
def test_not_found_responses_documented(spec):
    problems = _error_problems(spec, NOT_FOUND, "404")
    assert not problems, (
        "404 must be documented with the ErrorResponse model wherever it can happen:\n"
        + "\n".join(problems)
    )


@pytest.mark.rule("docs", "errors")
@pytest.mark.requirement("error-409-documented")
def test_conflict_responses_documented(spec):
    problems = _error_problems(spec, CONFLICT, "409")
    assert not problems, (
        "409 must be documented with the ErrorResponse model wherever it can happen:\n"
        + "\n".join(problems)
    )


@pytest.mark.rule("docs", "errors")
@pytest.mark.requirement("error-descriptions")
def test_error_responses_explained(spec):
    problems = []
    for method, path, op in _operations(spec):
        for code, response in op.get("responses", {}).items():
            if not code.startswith("4") or code == "422":
                continue
            description = (response.get("description") or "").strip()
            placeholders = {"", "additional response", HTTPStatus(int(code)).phrase.lower()}
            if description.lower() in placeholders:
                problems.append(f"{method.upper()} {path} -> {code}: {description!r}")
    assert not problems, (
        "each documented error needs a description saying when it happens, not a "
        "placeholder FastAPI fills in ('Additional Response' or the status phrase such as "
        "'Not Found'):\n" + "\n".join(problems)
    )


# --- behaviour is unchanged -----------------------------------------------------------------


@pytest.mark.rule("api-design")
@pytest.mark.requirement("same-statuses-and-bodies", "versioned-routes")
def test_create_and_list_categories(client):
    created = _category(client)
    assert set(created) == CATEGORY_FIELDS, f"category body changed: {created}"
    listed = client.get(f"{API}/categories")
    assert listed.status_code == 200, f"GET {API}/categories answered {listed.status_code}"
    assert created in listed.json(), f"the new category is missing from the list: {created}"
    one = client.get(f"{API}/categories/{created['id']}")
    assert one.status_code == 200 and one.json() == created, f"GET one category: {one.text}"


@pytest.mark.rule("errors")
@pytest.mark.requirement("same-statuses-and-bodies")
def test_duplicate_category_still_409(client):
    created = _category(client)
    again = client.post(f"{API}/categories", json={"name": created["name"]})
    _assert_detail(again, 409, "POST a category with a taken name", CATEGORY_TAKEN)


@pytest.mark.rule("errors")
@pytest.mark.requirement("same-statuses-and-bodies")
def test_unknown_category_still_404(client):
    _assert_detail(
        client.get(f"{API}/categories/{MISSING_ID}"), 404, "GET an unknown category", NO_CATEGORY
    )


@pytest.mark.rule("api-design", "schemas")
@pytest.mark.requirement("same-statuses-and-bodies", "versioned-routes")
def test_create_and_get_product(client):
    category = _category(client)
    sku = _sku()
    product = _product(client, category["id"], sku=sku, name="Saw", price=12.5, quantity=4)
    expected = {
        "name": "Saw",
        "sku": sku,
        "price": 12.5,
        "quantity": 4,
        "category_id": category["id"],
    }
    assert {k: product.get(k) for k in expected} == expected, f"product body changed: {product}"
    assert isinstance(product.get("id"), int) and set(product) == PRODUCT_FIELDS, product
    fetched = client.get(f"{API}/products/{product['id']}")
    assert fetched.status_code == 200 and fetched.json() == product, (
        f"GET {API}/products/<id> must return the created product: {fetched.text}"
    )


@pytest.mark.rule("errors")
@pytest.mark.requirement("same-statuses-and-bodies")
def test_unknown_product_still_404(client):
    _assert_detail(
        client.get(f"{API}/products/{MISSING_ID}"), 404, "GET an unknown product", NO_PRODUCT
    )


@pytest.mark.rule("errors")
@pytest.mark.requirement("same-statuses-and-bodies")
def test_product_with_unknown_category_still_404(client):
    response = client.post(
        f"{API}/products",
        json={"name": "X", "sku": _sku(), "price": 1.0, "category_id": MISSING_ID},
    )
    _assert_detail(response, 404, "POST a product with an unknown category_id", NO_CATEGORY)


@pytest.mark.rule("errors")
@pytest.mark.requirement("same-statuses-and-bodies")
def test_duplicate_sku_still_409(client):
    category = _category(client)
    product = _product(client, category["id"])
    again = client.post(
        f"{API}/products",
        json={"name": "Y", "sku": product["sku"], "price": 2.0, "category_id": category["id"]},
    )
    _assert_detail(again, 409, "POST a product with a taken SKU", SKU_TAKEN)


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("same-validation")
def test_invalid_product_still_422(client):
    category = _category(client)
    bad = {
        "non-positive price": {
            "name": "Z",
            "sku": _sku(),
            "price": 0,
            "category_id": category["id"],
        },
        "lower-case sku": {"name": "Z", "sku": "abc", "price": 1, "category_id": category["id"]},
        "negative quantity": {
            "name": "Z",
            "sku": _sku(),
            "price": 1,
            "quantity": -1,
            "category_id": category["id"],
        },
    }
    for label, body in bad.items():
        response = client.post(f"{API}/products", json=body)
        assert response.status_code == 422, (
            f"a product with a {label} must still be refused with 422, got "
            f"{response.status_code}: {response.text[:200]}"
        )


@pytest.mark.rule("api-design")
@pytest.mark.requirement("same-filtering-pagination")
def test_list_products_filter_and_pagination(client):
    category = _category(client)
    ids = [_product(client, category["id"])["id"] for _ in range(3)]
    _product(client, _category(client)["id"])  # another category's product
    listed = client.get(f"{API}/products", params={"category_id": category["id"]})
    assert listed.status_code == 200, f"GET {API}/products answered {listed.status_code}"
    assert [p["id"] for p in listed.json()] == ids, (
        f"category_id filter must return exactly that category's products in id order: "
        f"{listed.json()}"
    )
    page = client.get(
        f"{API}/products", params={"category_id": category["id"], "limit": 1, "offset": 1}
    )
    assert [p["id"] for p in page.json()] == ids[1:2], (
        f"limit=1&offset=1 must return the second product only, got {page.json()}"
    )


@pytest.mark.rule("api-design")
@pytest.mark.requirement("same-statuses-and-bodies")
def test_patch_product_changes_only_given_fields(client):
    category = _category(client)
    product = _product(client, category["id"], quantity=3)
    response = client.patch(f"{API}/products/{product['id']}", json={"quantity": 9})
    assert response.status_code == 200, f"PATCH answered {response.status_code}: {response.text}"
    assert response.json() == {**product, "quantity": 9}, (
        f"PATCH with only quantity must change only quantity: before {product}, "
        f"after {response.json()}"
    )


@pytest.mark.rule("errors")
@pytest.mark.requirement("same-statuses-and-bodies")
def test_patch_product_sku_conflict_still_409(client):
    category = _category(client)
    first = _product(client, category["id"])
    second = _product(client, category["id"])
    response = client.patch(f"{API}/products/{second['id']}", json={"sku": first["sku"]})
    _assert_detail(response, 409, "PATCH a product to another product's SKU", SKU_TAKEN)


@pytest.mark.rule("api-design")
@pytest.mark.requirement("same-statuses-and-bodies", "response-model-status")
def test_delete_product_still_204(client):
    category = _category(client)
    product = _product(client, category["id"])
    response = client.delete(f"{API}/products/{product['id']}")
    assert response.status_code == 204 and response.content == b"", (
        f"DELETE must still answer 204 with no body, got {response.status_code} "
        f"{response.content!r}"
    )
    _assert_detail(
        client.get(f"{API}/products/{product['id']}"), 404, "GET a deleted product", NO_PRODUCT
    )


def _status(response: Any) -> int:
    return response.status_code


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("same-validation")
def test_category_validation_unchanged(client):
    def post(**body: Any) -> Any:
        return client.post(f"{API}/categories", json=body)

    refused = {
        "an empty name": post(name=""),
        "a 51-character name": post(name="n" * 51),
        "no name": post(description="d"),
        "a 201-character description": post(name=f"c-{uuid.uuid4().hex}", description="d" * 201),
    }
    wrong = {label: _status(r) for label, r in refused.items() if _status(r) != 422}
    assert not wrong, f"categories must still be refused with 422 for: {wrong}"
    longest = post(name=uuid.uuid4().hex + "n" * 18, description="d" * 200)
    assert longest.status_code == 201, (
        f"a 50-character name and a 200-character description are still valid, got "
        f"{longest.status_code}: {longest.text[:200]}"
    )
    bare = post(name=f"c-{uuid.uuid4().hex}")
    assert bare.status_code == 201 and bare.json().get("description") is None, (
        f"a category without a description is still created with description null: {bare.text}"
    )
    assert set(bare.json()) == CATEGORY_FIELDS, f"category body changed: {bare.json()}"


def _product_body(category_id: int, **overrides: Any) -> dict[str, Any]:
    return {"name": "Drill", "sku": _sku(), "price": 1.5, "category_id": category_id, **overrides}


# Values each product field refused before the retrofit (ProductCreate and ProductUpdate).
INVALID_PRODUCT_FIELDS = {
    "name": ["", "n" * 101],
    "sku": ["ab-123", "AB", "A" * 33, "AB C", "AB_C", ""],
    "price": [0, -1.5, "free"],
    "quantity": [-1, "many"],
}


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("same-validation")
def test_product_create_validation_unchanged(client):
    category = _category(client)
    accepted = []
    for field, values in INVALID_PRODUCT_FIELDS.items():
        for value in values:
            response = client.post(
                f"{API}/products", json=_product_body(category["id"], **{field: value})
            )
            if response.status_code != 422:
                accepted.append((field, value, response.status_code))
    for missing in ("name", "sku", "price", "category_id"):
        body = _product_body(category["id"])
        del body[missing]
        response = client.post(f"{API}/products", json=body)
        if response.status_code != 422:
            accepted.append((missing, "<missing>", response.status_code))
    assert not accepted, f"POST {API}/products must still refuse these with 422: {accepted}"

    valid = {
        "a 100-character name": {"name": "n" * 100},
        "a 3-character SKU": {"sku": uuid.uuid4().hex[:3].upper()},
        "a 32-character SKU": {"sku": ("X-" + uuid.uuid4().hex * 2)[:32].upper()},
        "a tiny price": {"price": 0.01},
        "quantity 0": {"quantity": 0},
    }
    for label, overrides in valid.items():
        response = client.post(f"{API}/products", json=_product_body(category["id"], **overrides))
        assert response.status_code == 201, (
            f"a product with {label} is still valid, got {response.status_code}: "
            f"{response.text[:200]}"
        )
    default = client.post(f"{API}/products", json=_product_body(category["id"]))
    assert default.status_code == 201 and default.json().get("quantity") == 0, (
        f"quantity still defaults to 0 when omitted: {default.text[:200]}"
    )


@pytest.mark.rule("errors", "schemas")
@pytest.mark.requirement("same-validation")
def test_product_update_validation_unchanged(client):
    category = _category(client)
    product = _product(client, category["id"])
    url = f"{API}/products/{product['id']}"
    accepted = []
    for field, values in INVALID_PRODUCT_FIELDS.items():
        for value in values:
            response = client.patch(url, json={field: value})
            if response.status_code != 422:
                accepted.append((field, value, response.status_code))
    assert not accepted, f"PATCH {API}/products/<id> must still refuse these with 422: {accepted}"
    unchanged = client.get(url)
    assert unchanged.status_code == 200 and unchanged.json() == product, (
        f"refused updates must not change the product: before {product}, after {unchanged.text}"
    )
    other = _category(client)
    changes = {
        "name": "n" * 100,
        "sku": _sku(),
        "price": 0.01,
        "quantity": 0,
        "category_id": other["id"],
    }
    for field, value in changes.items():
        response = client.patch(url, json={field: value})
        assert response.status_code == 200 and response.json().get(field) == value, (
            f"PATCH {{{field!r}: {value!r}}} is still valid and changes {field}, got "
            f"{response.status_code}: {response.text[:200]}"
        )


@pytest.mark.rule("errors", "api-design")
@pytest.mark.requirement("same-statuses-and-bodies")
def test_patch_and_delete_errors_unchanged(client):
    category = _category(client)
    product = _product(client, category["id"])
    url = f"{API}/products/{product['id']}"
    _assert_detail(
        client.patch(f"{API}/products/{MISSING_ID}", json={"quantity": 1}),
        404,
        "PATCH an unknown product",
        NO_PRODUCT,
    )
    _assert_detail(
        client.patch(url, json={"category_id": MISSING_ID}),
        404,
        "PATCH a product into an unknown category",
        NO_CATEGORY,
    )
    same_sku = client.patch(url, json={"sku": product["sku"], "quantity": 5})
    assert same_sku.status_code == 200 and same_sku.json() == {**product, "quantity": 5}, (
        f"PATCH with the product's own SKU is not a conflict (200), got {same_sku.status_code}:"
        f" {same_sku.text[:200]}"
    )
    _assert_detail(
        client.delete(f"{API}/products/{MISSING_ID}"), 404, "DELETE an unknown product", NO_PRODUCT
    )
    assert client.delete(url).status_code == 204
    _assert_detail(client.delete(url), 404, "DELETE a product twice", NO_PRODUCT)


@pytest.mark.rule("api-design")
@pytest.mark.requirement("same-filtering-pagination", "same-validation")
def test_list_pagination_defaults_and_limits_unchanged(client):
    category = _category(client)
    ids = [_product(client, category["id"])["id"] for _ in range(51)]
    listed = client.get(f"{API}/products", params={"category_id": category["id"]})
    assert listed.status_code == 200 and [p["id"] for p in listed.json()] == ids[:50], (
        f"GET {API}/products still returns 50 products by default (limit=50, offset=0), got "
        f"{len(listed.json()) if listed.status_code == 200 else listed.text[:200]}"
    )
    pages = {
        (100, 0): ids,
        (1, 0): ids[:1],
        (10, 45): ids[45:],
        (5, 51): [],
    }
    for (limit, offset), expected in pages.items():
        page = client.get(
            f"{API}/products",
            params={"category_id": category["id"], "limit": limit, "offset": offset},
        )
        assert page.status_code == 200 and [p["id"] for p in page.json()] == expected, (
            f"limit={limit}&offset={offset} must return products {expected}, got {page.text[:300]}"
        )
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"category_id": "x"}):
        response = client.get(f"{API}/products", params=params)
        assert response.status_code == 422, (
            f"GET {API}/products with {params} must still answer 422, got {response.status_code}"
        )
    everything = client.get(f"{API}/products", params={"limit": 100})
    listed_ids = [p["id"] for p in everything.json()]
    assert listed_ids == sorted(listed_ids), "GET /products still lists products by id"
    categories = [c["id"] for c in client.get(f"{API}/categories").json()]
    assert categories == sorted(categories) and category["id"] in categories, (
        "GET /categories still lists every category by id"
    )
