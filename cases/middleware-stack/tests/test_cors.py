"""CORS with an allow-list from CORS_ORIGINS, credentials, and headers on every response."""

from __future__ import annotations

import pytest

HEALTH = "/api/v1/health"
ITEMS = "/api/v1/items"

# Near misses of the configured origins: scheme, subdomain, suffix and substring tricks.
DISALLOWED = (
    "https://evil.example.com",
    "http://app.example.com",
    "https://app.example.com.evil.io",
    "https://app.example",
    "https://app.example.com:8443",
    "null",
)


def _tokens(value: str | None) -> set[str]:
    return {part.strip().lower() for part in (value or "").split(",") if part.strip()}


def _assert_allowed(response, origin: str, context: str) -> None:
    acao = response.headers.get("access-control-allow-origin")
    assert acao == origin, (
        f"{context}: an allowed origin must get 'Access-Control-Allow-Origin: {origin}', "
        f"got {acao!r}"
    )
    acac = response.headers.get("access-control-allow-credentials")
    assert acac == "true", (
        f"{context}: credentials are allowed, so 'Access-Control-Allow-Credentials: true' is "
        f"required, got {acac!r}"
    )


def _preflight(client, origin: str, method: str = "DELETE", headers: str | None = None):
    request_headers = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        request_headers["Access-Control-Request-Headers"] = headers
    return client.options(ITEMS, headers=request_headers)


@pytest.mark.rule("middleware", "security")
def test_cors_allowed_origin_echoed_on_simple_request(client, app_origin):
    response = client.get(HEALTH, headers={"Origin": app_origin})
    assert response.status_code == 200
    _assert_allowed(response, app_origin, f"GET {HEALTH}")
    assert "origin" in _tokens(response.headers.get("vary")), (
        "a response that echoes the origin must say 'Vary: Origin' so caches keep origins "
        f"apart, got Vary {response.headers.get('vary')!r}"
    )


@pytest.mark.rule("middleware")
def test_cors_second_configured_origin_allowed(client, admin_origin):
    response = client.get(HEALTH, headers={"Origin": admin_origin})
    _assert_allowed(
        response,
        admin_origin,
        f"the second entry of CORS_ORIGINS (after ', ') on GET {HEALTH}",
    )


@pytest.mark.rule("middleware", "security")
def test_cors_disallowed_origins_get_no_allow_origin(client):
    for origin in DISALLOWED:
        response = client.get(HEALTH, headers={"Origin": origin})
        assert response.status_code == 200, (
            f"a simple request from a foreign origin ({origin}) is still processed, got "
            f"{response.status_code}"
        )
        acao = response.headers.get("access-control-allow-origin")
        assert acao is None, (
            f"origin {origin!r} is not in CORS_ORIGINS, yet the response allows {acao!r}"
        )


@pytest.mark.rule("middleware", "security")
def test_cors_never_answers_wildcard(client, app_origin, probe_routes):
    requests = [
        ("GET", HEALTH, {"Origin": app_origin}),
        ("GET", HEALTH, {"Origin": "https://evil.example.com"}),
        ("GET", "/api/v1/no-such-route", {"Origin": app_origin}),
        ("GET", probe_routes["boom"], {"Origin": app_origin}),
        (
            "OPTIONS",
            ITEMS,
            {"Origin": "https://evil.example.com", "Access-Control-Request-Method": "GET"},
        ),
    ]
    for method, url, headers in requests:
        response = client.request(method, url, headers=headers)
        assert response.headers.get("access-control-allow-origin") != "*", (
            f"{method} {url} from {headers['Origin']} answered 'Access-Control-Allow-Origin: *'"
            ": with credentials the allowed origin must be echoed, never a wildcard"
        )


@pytest.mark.rule("middleware")
def test_cors_preflight_allowed_origin(client, app_origin):
    requested = ["authorization", "content-type", "x-request-id"]
    response = _preflight(client, app_origin, "DELETE", ", ".join(requested))
    assert response.status_code == 200, (
        f"a preflight from an allowed origin must answer 200, got {response.status_code}: "
        f"{response.text[:300]}"
    )
    _assert_allowed(response, app_origin, "preflight OPTIONS /api/v1/items")
    methods = {m.upper() for m in _tokens(response.headers.get("access-control-allow-methods"))}
    assert "DELETE" in methods, (
        "Access-Control-Allow-Methods must name the requested method (DELETE) explicitly, got "
        f"{response.headers.get('access-control-allow-methods')!r}"
    )
    allowed_headers = _tokens(response.headers.get("access-control-allow-headers"))
    missing = [h for h in requested if h not in allowed_headers]
    assert not missing, (
        f"Access-Control-Allow-Headers must name {missing} explicitly, got "
        f"{response.headers.get('access-control-allow-headers')!r}"
    )


@pytest.mark.rule("middleware")
def test_cors_preflight_for_each_write_method(client, admin_origin):
    for method in ("POST", "PUT", "PATCH"):
        response = _preflight(client, admin_origin, method, "content-type")
        assert response.status_code == 200, (
            f"a {method} preflight from an allowed origin must answer 200, got "
            f"{response.status_code}"
        )
        methods = {m.upper() for m in _tokens(response.headers.get("access-control-allow-methods"))}
        assert method in methods, (
            f"Access-Control-Allow-Methods must name {method}, got "
            f"{response.headers.get('access-control-allow-methods')!r}"
        )
        assert response.headers.get("access-control-allow-origin") == admin_origin


@pytest.mark.rule("middleware", "security")
def test_cors_preflight_disallowed_origin(client):
    for origin in DISALLOWED:
        response = _preflight(client, origin, "POST", "content-type")
        acao = response.headers.get("access-control-allow-origin")
        assert acao is None, (
            f"a preflight from {origin!r} (not in CORS_ORIGINS) must not be allowed, got "
            f"Access-Control-Allow-Origin {acao!r} (status {response.status_code})"
        )


@pytest.mark.rule("middleware")
def test_cors_exposes_context_headers(client, app_origin):
    response = client.get(HEALTH, headers={"Origin": app_origin})
    exposed = _tokens(response.headers.get("access-control-expose-headers"))
    missing = [h for h in ("x-request-id", "x-process-time") if h not in exposed]
    assert not missing, (
        f"Access-Control-Expose-Headers must list {missing} so browsers can read them, got "
        f"{response.headers.get('access-control-expose-headers')!r}"
    )


@pytest.mark.rule("middleware", "errors")
def test_cors_headers_on_error_responses(client, app_origin):
    cases = [
        ("GET", "/api/v1/no-such-route", None, 404),
        ("GET", "/api/v1/items/987654321", None, 404),
        ("POST", ITEMS, {"name": ""}, 422),
        ("DELETE", HEALTH, None, 405),
    ]
    for method, url, body, status in cases:
        response = client.request(method, url, json=body, headers={"Origin": app_origin})
        assert response.status_code == status, f"{method} {url} must answer {status}"
        _assert_allowed(response, app_origin, f"a {status} from {method} {url}")


@pytest.mark.rule("middleware", "errors")
def test_cors_headers_on_unhandled_error(client, app_origin, probe_routes):
    response = client.get(probe_routes["boom"], headers={"Origin": app_origin})
    assert response.status_code == 500, f"expected 500, got {response.status_code}"
    _assert_allowed(
        response,
        app_origin,
        "a 500 from an unhandled exception (without CORS headers the browser hides the "
        "error from the front-end)",
    )
