"""The OpenAPI document describes both operations."""

from __future__ import annotations

from typing import Any

import pytest

USERS = "/api/v1/users"


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s (and a single-entry allOf/anyOf wrapper) to the schema."""
    seen = 0
    while isinstance(node, dict) and seen < 10:
        seen += 1
        if "$ref" in node:
            target: Any = spec
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        elif len(node.get("allOf", [])) == 1:
            node = node["allOf"][0]
        else:
            break
    return node


def _spec(openapi: dict[str, Any]) -> dict[str, Any]:
    assert isinstance(openapi, dict) and openapi.get("paths"), (
        "the OpenAPI schema the app serves at /openapi.json has no paths"
    )
    return openapi


def _operation(
    openapi: dict[str, Any], path: str, method: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    spec = _spec(openapi)
    paths = spec.get("paths", {})
    assert path in paths, f"the OpenAPI schema has no path {path!r}; paths: {sorted(paths)}"
    operation = paths[path].get(method)
    assert operation, f"the OpenAPI schema has no {method.upper()} {path}"
    return spec, operation


def _user_path(openapi: dict[str, Any]) -> str:
    spec = _spec(openapi)
    candidates = [p for p in spec.get("paths", {}) if p.startswith(f"{USERS}/{{")]
    assert candidates, (
        f"the OpenAPI schema has no {USERS}/{{user_id}} path: {sorted(spec['paths'])}"
    )
    return candidates[0]


@pytest.mark.rule("docs")
@pytest.mark.requirement("docs-post", "docs-tags-summary")
def test_openapi_documents_create_operation(openapi):
    spec, operation = _operation(openapi, USERS, "post")
    responses = operation.get("responses", {})
    for code in ("201", "409", "422"):
        assert code in responses, (
            f"POST {USERS} must document a {code} response, documented: {sorted(responses)}"
        )
    assert "users" in operation.get("tags", []), (
        f"POST {USERS} must be tagged 'users', got {operation.get('tags')}"
    )
    assert operation.get("summary"), f"POST {USERS} needs a summary"
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = _resolve(spec, body.get("schema"))
    assert isinstance(schema, dict) and {"email", "password"} <= set(
        schema.get("properties", {})
    ), f"the POST request body must be documented with 'email' and 'password', got {schema!r}"
    assert {"email", "password"} <= set(schema.get("required", [])), (
        "both 'email' and 'password' must be documented as required"
    )


@pytest.mark.rule("docs", "security")
@pytest.mark.requirement("docs-post")
def test_openapi_user_response_schema_has_no_password(openapi):
    spec, operation = _operation(openapi, USERS, "post")
    created = operation.get("responses", {}).get("201", {})
    content = created.get("content", {}).get("application/json", {})
    schema = _resolve(spec, content.get("schema"))
    assert isinstance(schema, dict) and schema.get("properties"), (
        f"the 201 response of POST {USERS} must document the user model, got {created!r}"
    )
    properties = set(schema["properties"])
    leaked = sorted(p for p in properties if "pass" in p.lower() or "hash" in p.lower())
    assert not leaked, f"the documented user model exposes password fields: {leaked}"
    assert properties == {"id", "email", "created_at"}, (
        f"the documented user model must have exactly id, email, created_at, got "
        f"{sorted(properties)}"
    )


@pytest.mark.rule("docs")
@pytest.mark.requirement("docs-get", "docs-tags-summary")
def test_openapi_documents_get_operation(openapi):
    path = _user_path(openapi)
    spec, operation = _operation(openapi, path, "get")
    responses = operation.get("responses", {})
    for code in ("200", "404"):
        assert code in responses, (
            f"GET {path} must document a {code} response, documented: {sorted(responses)}"
        )
    assert "users" in operation.get("tags", []), f"GET {path} must be tagged 'users'"
    assert operation.get("summary"), f"GET {path} needs a summary"
    ok = responses["200"].get("content", {}).get("application/json", {})
    schema = _resolve(spec, ok.get("schema"))
    properties = set(schema.get("properties", {})) if isinstance(schema, dict) else set()
    assert properties == {"id", "email", "created_at"}, (
        f"GET {path} must document the public user model (id, email, created_at), got "
        f"{sorted(properties)}"
    )
