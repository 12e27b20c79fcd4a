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
    "https://app.example.com:80",
    "https://admin.example.com.evil.io",
    "https://xapp.example.com",
    "https://app.example.co",
    "http://admin.example.com",
    "null",
)


def _tokens(value: str | None) -> set[str]:
    return {part.strip().lower() for part in (value or "").split(",") if part.strip()}


def _assert_allowed(response, origin: str, context: str, preflight: bool = False) -> None:
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
    if preflight:
        return
    assert "origin" in _tokens(response.headers.get("vary")), (
        f"{context}: a response that echoes the origin must say 'Vary: Origin', got "
        f"{response.headers.get('vary')!r}"
    )
    exposed = _tokens(response.headers.get("access-control-expose-headers"))
    missing = [h for h in ("x-request-id", "x-process-time") if h not in exposed]
    assert not missing, (
        f"{context}: Access-Control-Expose-Headers must list {missing}, got "
        f"{response.headers.get('access-control-expose-headers')!r}"
    )


def _preflight(client, origin: str, method: str = "DELETE", headers: str | None = None):
    request_headers = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        request_headers["Access-Control-Request-Headers"] = headers
    return client.options(ITEMS, headers=request_headers)


@pytest.mark.rule("middleware", "security")
@pytest.mark.requirement("cors-allowed-response-headers", "cors-origins-from-env")
def test_cors_allowed_origin_echoed_on_simple_request(client, app_origin):
    response = client.get(HEALTH, headers={"Origin": app_origin})
    assert response.status_code == 200
    _assert_allowed(response, app_origin, f"GET {HEALTH}")
    assert "origin" in _tokens(response.headers.get("vary")), (
        "a response that echoes the origin must say 'Vary: Origin' so caches keep origins "
        f"apart, got Vary {response.headers.get('vary')!r}"
    )


@pytest.mark.rule("middleware")
@pytest.mark.requirement("cors-origins-from-env", "cors-origins-env-parsing", "cors-allowed-response-headers")
def test_cors_second_configured_origin_allowed(client, admin_origin):
    response = client.get(HEALTH, headers={"Origin": admin_origin})
    _assert_allowed(
        response,
        admin_origin,
        f"the second entry of CORS_ORIGINS (after ', ') on GET {HEALTH}",
    )


@pytest.mark.rule("middleware", "security")
@pytest.mark.requirement("cors-exact-origin", "cors-other-origins-denied", "cors-other-origins-processed")
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
@pytest.mark.requirement("cors-allowed-response-headers", "cors-other-origins-denied")
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
@pytest.mark.requirement("cors-preflight-allowed")
def test_cors_preflight_allowed_origin(client, app_origin):
    requested = ["authorization", "content-type", "x-request-id"]
    response = _preflight(client, app_origin, "DELETE", ", ".join(requested))
    assert response.status_code == 200, (
        f"a preflight from an allowed origin must answer 200, got {response.status_code}: "
        f"{response.text[:300]}"
    )
    _assert_allowed(response, app_origin, "preflight OPTIONS /api/v1/items", preflight=True)
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
@pytest.mark.requirement("cors-preflight-allowed", "cors-origins-env-parsing")
def test_cors_preflight_for_each_write_method(client, admin_origin):
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
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
        _assert_allowed(response, admin_origin, f"a {method} preflight", preflight=True)


@pytest.mark.rule("middleware")
@pytest.mark.requirement("cors-preflight-allowed")
def test_cors_preflight_names_each_requested_header(client, app_origin):
    for header in ("Authorization", "Content-Type", "X-Request-ID"):
        response = _preflight(client, app_origin, "POST", header)
        assert response.status_code == 200, (
            f"a preflight asking for {header} must answer 200, got {response.status_code}"
        )
        _assert_allowed(response, app_origin, f"a preflight asking for {header}", preflight=True)
        allowed = _tokens(response.headers.get("access-control-allow-headers"))
        assert header.lower() in allowed, (
            f"Access-Control-Allow-Headers must name {header}, got "
            f"{response.headers.get('access-control-allow-headers')!r}"
        )


@pytest.mark.rule("middleware", "security")
@pytest.mark.requirement("cors-other-origins-denied", "cors-exact-origin")
def test_cors_preflight_disallowed_origin(client):
    for origin in DISALLOWED:
        response = _preflight(client, origin, "POST", "content-type")
        acao = response.headers.get("access-control-allow-origin")
        assert acao is None, (
            f"a preflight from {origin!r} (not in CORS_ORIGINS) must not be allowed, got "
            f"Access-Control-Allow-Origin {acao!r} (status {response.status_code})"
        )


@pytest.mark.rule("middleware")
@pytest.mark.requirement("cors-allowed-response-headers")
def test_cors_exposes_context_headers(client, app_origin):
    response = client.get(HEALTH, headers={"Origin": app_origin})
    exposed = _tokens(response.headers.get("access-control-expose-headers"))
    missing = [h for h in ("x-request-id", "x-process-time") if h not in exposed]
    assert not missing, (
        f"Access-Control-Expose-Headers must list {missing} so browsers can read them, got "
        f"{response.headers.get('access-control-expose-headers')!r}"
    )


@pytest.mark.rule("middleware", "errors")
@pytest.mark.requirement("every-response", "cors-allowed-response-headers")
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


@pytest.mark.rule("middleware", "security")
@pytest.mark.requirement("cors-other-origins-denied", "every-response")
def test_cors_disallowed_origin_on_error_responses(client, probe_routes):
    for method, url, body, status in [
        ("GET", "/api/v1/no-such-route", None, 404),
        ("POST", ITEMS, {"name": ""}, 422),
        ("DELETE", HEALTH, None, 405),
        ("GET", probe_routes["boom"], None, 500),
    ]:
        for origin in ("https://evil.example.com", "http://app.example.com"):
            response = client.request(method, url, json=body, headers={"Origin": origin})
            assert response.status_code == status, f"{method} {url} must answer {status}"
            acao = response.headers.get("access-control-allow-origin")
            assert acao is None, (
                f"a {status} from {method} {url} for the foreign origin {origin!r} allows {acao!r}"
            )


@pytest.mark.rule("middleware", "errors")
@pytest.mark.requirement("unhandled-error-500", "every-response", "app-wide-middleware")
def test_cors_headers_on_unhandled_error(client, app_origin, probe_routes):
    response = client.get(probe_routes["boom"], headers={"Origin": app_origin})
    assert response.status_code == 500, f"expected 500, got {response.status_code}"
    _assert_allowed(
        response,
        app_origin,
        "a 500 from an unhandled exception (without CORS headers the browser hides the "
        "error from the front-end)",
    )


def _fresh_requests(origins: list[str]) -> list[dict]:
    requests = []
    for origin in origins:
        requests.append({"method": "GET", "path": HEALTH, "headers": {"origin": origin}})
        requests.append(
            {
                "method": "OPTIONS",
                "path": ITEMS,
                "headers": {"origin": origin, "access-control-request-method": "POST"},
            }
        )
    return requests


@pytest.mark.rule("middleware", "security")
@pytest.mark.requirement("cors-unset-or-empty")
def test_cors_unset_or_empty_allows_no_origin(fresh_start, app_origin, admin_origin):
    origins = [app_origin, admin_origin, "null"]
    for value in (None, "", " , ,"):
        setting = "unset" if value is None else f"{value!r}"
        report = fresh_start(value, _fresh_requests(origins))
        assert report["started"], (
            f"with CORS_ORIGINS {setting} the application must still start: {report['error']}"
        )
        for (origin, kind), answer in zip(
            [(o, k) for o in origins for k in ("GET", "preflight")], report["responses"], strict=True
        ):
            if kind == "GET":
                assert answer["status"] == 200, (
                    f"with CORS_ORIGINS {setting}, GET {HEALTH} from {origin} must still be "
                    f"processed, got {answer}"
                )
            acao = answer["headers"].get("access-control-allow-origin")
            assert acao is None, (
                f"with CORS_ORIGINS {setting} no origin is allowed, yet a {kind} from {origin} "
                f"got Access-Control-Allow-Origin {acao!r}"
            )


@pytest.mark.rule("middleware", "security")
@pytest.mark.requirement("cors-origins-from-env", "cors-origins-env-parsing", "cors-exact-origin")
def test_cors_origins_parsing_ignores_whitespace_and_empty_entries(fresh_start):
    value = " ,\thttps://one.example.org ,, \n http://localhost:5173\t,  ,"
    allowed = ["https://one.example.org", "http://localhost:5173"]
    denied = ["", "https://app.example.com", "http://localhost", "http://localhost:5174"]
    report = fresh_start(value, _fresh_requests(allowed + denied))
    assert report["started"], f"with CORS_ORIGINS={value!r} the app must start: {report['error']}"
    answers = iter(report["responses"])
    for origin in allowed + denied:
        for kind in ("GET", "preflight"):
            answer = next(answers)
            acao = answer["headers"].get("access-control-allow-origin")
            if origin in allowed:
                assert acao == origin and (kind == "GET" or answer["status"] == 200), (
                    f"with CORS_ORIGINS={value!r}, {origin!r} is listed (whitespace around "
                    f"entries and empty entries are ignored), yet a {kind} from it got "
                    f"status {answer['status']}, Access-Control-Allow-Origin {acao!r}"
                )
            else:
                assert acao is None, (
                    f"with CORS_ORIGINS={value!r}, {origin!r} is not listed, yet a {kind} "
                    f"from it got Access-Control-Allow-Origin {acao!r}"
                )
