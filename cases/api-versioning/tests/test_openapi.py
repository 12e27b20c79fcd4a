"""Both versions are documented in one OpenAPI schema, with distinct tags."""

from __future__ import annotations

import pytest
from conftest import V1_FIELDS, V2_FIELDS, resolve, response_schema

V1_OPERATIONS = {
    ("/api/v1/customers", "post"): "create_customer_api_v1_customers_post",
    ("/api/v1/customers", "get"): "list_customers_api_v1_customers_get",
    ("/api/v1/customers/{customer_id}", "get"): "get_customer_api_v1_customers__customer_id__get",
}
V2_OPERATIONS = {
    ("/api/v2/customers", "post"),
    ("/api/v2/customers", "get"),
    ("/api/v2/customers/{customer_id}", "get"),
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def _operations(spec, prefix):
    return {
        (path, method): operation
        for path, item in spec["paths"].items()
        if path.startswith(prefix)
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


@pytest.mark.rule("docs")
@pytest.mark.requirement("v1-openapi-unchanged", "one-openapi-document")
def test_openapi_v1_operations_unchanged(openapi):
    v1 = _operations(openapi, "/api/v1/")
    assert set(v1) == set(V1_OPERATIONS), (
        f"the v1 operations must stay exactly {sorted(V1_OPERATIONS)}, got {sorted(v1)}"
    )
    for key, operation_id in V1_OPERATIONS.items():
        operation = v1[key]
        assert operation.get("operationId") == operation_id, (
            f"{key}: v1 operationId must stay {operation_id!r}, got "
            f"{operation.get('operationId')!r}"
        )
        assert operation.get("tags") == ["customers"], (
            f"{key}: v1 operations must keep the tag ['customers'], got {operation.get('tags')}"
        )


@pytest.mark.rule("docs", "schemas")
@pytest.mark.requirement("v1-openapi-unchanged")
def test_openapi_v1_response_schemas_unchanged(openapi):
    one = response_schema(openapi, "/api/v1/customers/{customer_id}", "get", "200")
    assert set(one.get("properties", {})) == set(V1_FIELDS), (
        f"the documented v1 customer must keep the fields {V1_FIELDS}, got "
        f"{sorted(one.get('properties', {}))}"
    )
    created = response_schema(openapi, "/api/v1/customers", "post", "201")
    assert set(created.get("properties", {})) == set(V1_FIELDS), (
        f"the documented v1 201 body must keep the fields {V1_FIELDS}"
    )
    listing = response_schema(openapi, "/api/v1/customers", "get", "200")
    assert listing.get("type") == "array", (
        f"the documented v1 list must stay an array, got {listing.get('type')!r}"
    )


@pytest.mark.rule("docs", "schemas")
@pytest.mark.requirement("v2-documented-models", "one-openapi-document")
def test_openapi_documents_v2(openapi):
    v2 = _operations(openapi, "/api/v2/")
    assert V2_OPERATIONS <= set(v2), (
        f"the OpenAPI schema must document {sorted(V2_OPERATIONS)}, got {sorted(v2)}"
    )
    one = response_schema(openapi, "/api/v2/customers/{customer_id}", "get", "200")
    assert set(one.get("properties", {})) == V2_FIELDS, (
        f"the documented v2 customer must have the fields {sorted(V2_FIELDS)}, got "
        f"{sorted(one.get('properties', {}))}"
    )
    page = response_schema(openapi, "/api/v2/customers", "get", "200")
    properties = page.get("properties", {})
    assert {"items", "total", "limit", "offset"} <= set(properties), (
        f"the documented v2 list must be the page envelope, got {sorted(properties)}"
    )
    items = resolve(openapi, resolve(openapi, properties["items"]).get("items", {}))
    assert set(items.get("properties", {})) == V2_FIELDS, (
        "the documented page items must be v2 customers"
    )
    parameters = {
        p.get("name") for p in openapi["paths"]["/api/v2/customers"]["get"].get("parameters", [])
    }
    assert {"limit", "offset"} <= parameters, (
        f"the v2 list must document the limit and offset query parameters, got {parameters}"
    )


@pytest.mark.rule("docs")
@pytest.mark.requirement("v2-tag-and-summary")
def test_openapi_v2_operations_tagged_separately(openapi):
    v2 = _operations(openapi, "/api/v2/")
    for key in sorted(V2_OPERATIONS & set(v2)):
        tags = v2[key].get("tags")
        assert tags == ["customers-v2"], (
            f"{key}: v2 operations must be tagged exactly ['customers-v2'] (distinct from "
            f"v1's 'customers'), got {tags}"
        )
        assert v2[key].get("summary"), f"{key}: v2 operations need a summary"
    assert V2_OPERATIONS <= set(v2), f"v2 operations missing from the schema: {sorted(v2)}"


@pytest.mark.rule("structure")
@pytest.mark.requirement("v2-layout")
def test_v2_code_follows_versioned_layout(source):
    v2_files = [path for path in source.python_files() if path.startswith("app/api/v2/")]
    assert v2_files, (
        "the v2 API must follow the existing layout (app/api/v1/... -> app/api/v2/...); "
        f"no Python file under app/api/v2/, found {sorted(source.python_files())}"
    )
