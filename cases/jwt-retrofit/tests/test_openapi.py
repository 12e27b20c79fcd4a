"""The OpenAPI schema declares the OAuth2 password flow and marks the write routes with it."""

from __future__ import annotations

import re

import pytest

TOKEN_PATH = "/api/v1/auth/token"
COLLECTION = "/api/v1/products"
ITEM = re.compile(r"^/api/v1/products/\{[^/}]+\}$")
WRITES = {(COLLECTION, "post"), (ITEM, "put"), (ITEM, "patch"), (ITEM, "delete")}
READS = {(COLLECTION, "get"), (ITEM, "get")}


@pytest.fixture(scope="module")
def openapi(client) -> dict:
    response = client.get("/openapi.json")
    assert response.status_code == 200, f"/openapi.json must be served: {response.status_code}"
    return response.json()


def _password_schemes(openapi: dict) -> dict[str, dict]:
    schemes = openapi.get("components", {}).get("securitySchemes", {})
    return {
        name: scheme
        for name, scheme in schemes.items()
        if scheme.get("type") == "oauth2" and "password" in scheme.get("flows", {})
    }


def _operations(openapi: dict, route) -> list[tuple[str, str, dict]]:
    path_pattern, method = route
    found = []
    for path, item in openapi.get("paths", {}).items():
        matches = (
            path_pattern.match(path)
            if isinstance(path_pattern, re.Pattern)
            else path.rstrip("/") == path_pattern
        )
        if matches and method in item:
            found.append((path, method, item[method]))
    return found


@pytest.mark.rule("docs", "auth")
@pytest.mark.requirement("openapi-scheme")
def test_openapi_declares_oauth2_password_scheme(openapi):
    schemes = _password_schemes(openapi)
    assert schemes, (
        "components.securitySchemes must declare an OAuth2 scheme with a password flow; got "
        f"{openapi.get('components', {}).get('securitySchemes')}"
    )
    token_urls = {s["flows"]["password"].get("tokenUrl", "") for s in schemes.values()}
    assert any("/" + url.lstrip("/") == TOKEN_PATH for url in token_urls), (
        f"the password flow's tokenUrl must be {TOKEN_PATH}; got {sorted(token_urls)}"
    )


@pytest.mark.rule("docs", "auth")
@pytest.mark.requirement("openapi-writes-secured")
def test_openapi_write_routes_require_oauth2(openapi):
    schemes = set(_password_schemes(openapi))
    assert schemes, "no OAuth2 password-flow security scheme is declared"
    problems = []
    for route in sorted(WRITES, key=str):
        operations = _operations(openapi, route)
        if not operations:
            problems.append(f"{route[1].upper()} {route[0]}: operation missing from the schema")
        for path, method, operation in operations:
            required = [set(req) for req in operation.get("security", [])]
            if not required or not all(req & schemes for req in required):
                problems.append(f"{method.upper()} {path}: security is {operation.get('security')}")
    assert not problems, (
        "every write operation must list the OAuth2 scheme under security:\n" + "\n".join(problems)
    )


@pytest.mark.rule("docs", "auth")
@pytest.mark.requirement("openapi-reads-public")
def test_openapi_read_routes_are_public(openapi):
    problems = []
    for route in sorted(READS, key=str):
        operations = _operations(openapi, route)
        if not operations:
            problems.append(f"{route[1].upper()} {route[0]}: operation missing from the schema")
        for path, method, operation in operations:
            security = operation.get("security")
            if security and {} not in security:
                problems.append(f"{method.upper()} {path}: security is {security}")
    assert not problems, (
        "read operations are public and must not require a security scheme:\n" + "\n".join(problems)
    )
