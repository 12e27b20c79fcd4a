"""X-Request-ID and X-Process-Time on every response."""

from __future__ import annotations

import math
import re
import time
import uuid

import pytest

from conftest import SLOW_MS, SLOW_PATH

HEALTH = "/api/v1/health"


def _assert_uuid4(value: str | None, context: str) -> None:
    assert value, f"{context}: the response must carry an X-Request-ID header"
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise AssertionError(
            f"{context}: a generated X-Request-ID must be a UUID4, got {value!r}"
        ) from None
    assert parsed.version == 4 and str(parsed) == value, (
        f"{context}: a generated X-Request-ID must be a canonical UUID4 "
        f"(str(uuid.uuid4())), got {value!r}"
    )


def _assert_process_time(response, context: str) -> float:
    raw = response.headers.get("x-process-time")
    assert raw is not None, f"{context}: the response must carry an X-Process-Time header"
    assert re.fullmatch(r"[0-9]+(\.[0-9]+)?", raw), (
        f"{context}: X-Process-Time must be a plain non-negative decimal number of "
        f"milliseconds (like 0.412 or 12.5, no unit, no exponent), got {raw!r}"
    )
    value = float(raw)
    assert math.isfinite(value) and value >= 0, (
        f"{context}: X-Process-Time must be a finite non-negative number, got {raw!r}"
    )
    return value


@pytest.mark.rule("middleware")
@pytest.mark.requirement("request-id-generate", "request-id-header")
def test_request_id_generated_when_absent(client):
    response = client.get(HEALTH)
    assert response.status_code == 200, f"GET {HEALTH} must keep answering 200"
    _assert_uuid4(response.headers.get("x-request-id"), f"GET {HEALTH} without X-Request-ID")


@pytest.mark.rule("middleware")
@pytest.mark.requirement("request-id-unique", "request-id-generate")
def test_generated_request_ids_are_unique(client):
    ids = [client.get(HEALTH).headers.get("x-request-id") for _ in range(5)]
    for value in ids:
        _assert_uuid4(value, "each request without X-Request-ID")
    assert len(set(ids)) == len(ids), f"every request must get its own id, got {ids}"


@pytest.mark.rule("middleware")
@pytest.mark.requirement("request-id-reuse-valid", "request-id-header")
def test_valid_request_id_is_echoed(client):
    for incoming in (
        "req-42_abc.DEF",
        "a",
        "x" * 64,
        ".",
        "-",
        "_",
        "7",
        "A.B",
        "v1.2.3",
        ("aZ0-_." * 11)[:64],
        "..--__",
    ):
        response = client.get(HEALTH, headers={"X-Request-ID": incoming})
        assert response.headers.get("x-request-id") == incoming, (
            f"a valid incoming X-Request-ID ({incoming!r}) must be echoed unchanged, "
            f"got {response.headers.get('x-request-id')!r}"
        )


@pytest.mark.rule("middleware", "security")
@pytest.mark.requirement("request-id-generate")
def test_overlong_request_id_is_replaced(client):
    for incoming in ("y" * 65, ("aZ0-_." * 11)[:65], "z" * 200):
        response = client.get(HEALTH, headers={"X-Request-ID": incoming})
        echoed = response.headers.get("x-request-id")
        assert echoed != incoming, (
            f"an X-Request-ID of {len(incoming)} characters (over 64) must not be reused"
        )
        _assert_uuid4(echoed, "an over-long incoming X-Request-ID")


@pytest.mark.rule("middleware", "security")
@pytest.mark.requirement("request-id-generate")
def test_request_id_with_forbidden_characters_is_replaced(client):
    for incoming in (
        "has space",
        "<script>alert(1)</script>",
        "a/b",
        "semi;colon",
        "é",
        "a+b",
        "a~b",
        "a=b",
        "a:b",
        "a!b",
        "a,b",
        "a@b",
        "tab\there",
        "\u0663\u0664",  # Arabic-Indic digits: digits, but not ASCII ones
        "\uff41bc",  # a full-width letter
        "\u00aa",  # a letter (ordinal indicator) outside ASCII
    ):
        response = client.get(HEALTH, headers={"X-Request-ID": incoming.encode("utf-8")})
        echoed = response.headers.get("x-request-id")
        assert echoed != incoming, (
            f"an X-Request-ID with characters outside [A-Za-z0-9._-] ({incoming!r}) "
            "must be replaced, not echoed"
        )
        _assert_uuid4(echoed, f"incoming X-Request-ID {incoming!r}")
    response = client.get(HEALTH, headers={"X-Request-ID": ""})
    _assert_uuid4(response.headers.get("x-request-id"), "an empty incoming X-Request-ID")


@pytest.mark.rule("middleware")
@pytest.mark.requirement("request-id-state", "app-wide-middleware")
def test_request_id_available_to_handlers(client, probe_routes):
    generated = client.get(probe_routes["state"])
    assert generated.status_code == 200, (
        f"a route added to the app must work, got {generated.status_code}: {generated.text[:300]}"
    )
    header = generated.headers.get("x-request-id")
    assert generated.json().get("request_id") == header and header, (
        "request.state.request_id must hold the id returned in X-Request-ID, got "
        f"state {generated.json().get('request_id')!r} vs header {header!r}"
    )
    echoed = client.get(probe_routes["state"], headers={"X-Request-ID": "trace-7"})
    assert echoed.json().get("request_id") == "trace-7", (
        "request.state.request_id must be the incoming id when it is valid, got "
        f"{echoed.json().get('request_id')!r}"
    )


@pytest.mark.rule("middleware", "errors")
@pytest.mark.requirement("every-response", "request-id-header")
def test_request_id_on_404(client):
    for path in ("/api/v1/no-such-route", "/api/v1/items/987654321"):
        response = client.get(path, headers={"X-Request-ID": "nf-404"})
        assert response.status_code == 404, f"GET {path} must answer 404"
        assert response.headers.get("x-request-id") == "nf-404", (
            f"a 404 ({path}) must carry the request id too, got "
            f"{response.headers.get('x-request-id')!r}"
        )
    _assert_uuid4(
        client.get("/api/v1/no-such-route").headers.get("x-request-id"), "a 404 without an id"
    )


@pytest.mark.rule("middleware", "errors")
@pytest.mark.requirement("every-response", "request-id-header")
def test_request_id_on_422_and_405(client):
    invalid = client.post("/api/v1/items", json={"name": ""}, headers={"X-Request-ID": "bad-body"})
    assert invalid.status_code == 422, f"an invalid item must answer 422, got {invalid.status_code}"
    assert invalid.headers.get("x-request-id") == "bad-body", (
        f"a 422 must carry the request id, got {invalid.headers.get('x-request-id')!r}"
    )
    not_allowed = client.delete(HEALTH, headers={"X-Request-ID": "wrong-method"})
    assert not_allowed.status_code == 405, f"DELETE {HEALTH} must answer 405"
    assert not_allowed.headers.get("x-request-id") == "wrong-method", (
        f"a 405 must carry the request id, got {not_allowed.headers.get('x-request-id')!r}"
    )


@pytest.mark.rule("errors", "security")
@pytest.mark.requirement("unhandled-error-500", "app-wide-middleware")
def test_unhandled_error_returns_generic_500(client, probe_routes):
    response = client.get(probe_routes["boom"])
    assert response.status_code == 500, (
        f"an unhandled exception must answer 500, got {response.status_code}"
    )
    assert probe_routes["secret"] not in response.text and "Traceback" not in response.text, (
        f"the 500 body must not reveal the exception: {response.text[:300]}"
    )
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(
            f'the 500 body must be JSON {{"detail": "Internal Server Error"}}, got '
            f"{response.text[:300]!r}"
        ) from None
    assert body == {"detail": "Internal Server Error"}, (
        f'the 500 body must be {{"detail": "Internal Server Error"}}, got {body!r}'
    )


@pytest.mark.rule("middleware", "errors")
@pytest.mark.requirement("unhandled-error-500", "every-response")
def test_context_headers_on_unhandled_error(client, probe_routes):
    response = client.get(probe_routes["boom"], headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500, f"expected 500, got {response.status_code}"
    assert response.headers.get("x-request-id") == "boom-1", (
        "a 500 from an unhandled exception must still carry X-Request-ID, got "
        f"{response.headers.get('x-request-id')!r}"
    )
    _assert_process_time(response, "a 500 from an unhandled exception")


@pytest.mark.rule("middleware")
@pytest.mark.requirement("process-time-ms")
def test_process_time_header_is_non_negative_number(client):
    for _ in range(3):
        _assert_process_time(client.get(HEALTH), f"GET {HEALTH}")
    created = client.post("/api/v1/items", json={"name": "Lamp", "price_cents": 1200})
    _assert_process_time(created, "POST /api/v1/items")


@pytest.mark.rule("middleware", "errors")
@pytest.mark.requirement("process-time-ms", "every-response")
def test_process_time_on_error_responses(client):
    _assert_process_time(client.get("/api/v1/no-such-route"), "a 404 for an unknown path")
    _assert_process_time(client.get("/api/v1/items/987654321"), "a 404 for a missing item")
    _assert_process_time(client.post("/api/v1/items", json={}), "a 422")
    _assert_process_time(client.delete(HEALTH), "a 405")


@pytest.mark.rule("api-design")
@pytest.mark.requirement("keep-endpoints")
def test_existing_endpoints_unchanged(client):
    created = client.post("/api/v1/items", json={"name": "Desk", "price_cents": 9900})
    assert created.status_code == 201, (
        f"POST /api/v1/items must answer 201, got {created.status_code}"
    )
    item = created.json()
    assert item.get("name") == "Desk" and item.get("price_cents") == 9900, item
    fetched = client.get(f"/api/v1/items/{item['id']}")
    assert fetched.status_code == 200 and fetched.json() == item, fetched.text[:300]
    listed = client.get("/api/v1/items")
    assert listed.status_code == 200 and item in listed.json(), "GET /api/v1/items must list it"
    assert client.get(HEALTH).json() == {"status": "ok"}


@pytest.mark.rule("middleware")
@pytest.mark.requirement("process-time-ms")
def test_process_time_is_in_milliseconds(client, probe_routes):
    # The shim's slow route awaits asyncio.sleep(0.05): at least 50 ms inside the app, and
    # never more than the client itself waited for the whole exchange.
    for _ in range(2):
        started = time.perf_counter()
        response = client.get(SLOW_PATH)
        waited_ms = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, f"GET {SLOW_PATH} answered {response.status_code}"
        value = _assert_process_time(response, "a request that takes 50 ms")
        assert SLOW_MS * 0.9 <= value <= waited_ms + 5, (
            f"a request the app handled in about {SLOW_MS:.0f} ms (the client waited "
            f"{waited_ms:.1f} ms) reported X-Process-Time {value}: it must be in milliseconds"
        )


@pytest.mark.rule("middleware", "errors")
@pytest.mark.requirement("unhandled-error-500", "every-response", "app-wide-middleware")
def test_unhandled_error_on_every_method(client, probe_routes):
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        request_id = f"boom-{method.lower()}-{uuid.uuid4().hex[:8]}"
        response = client.request(method, probe_routes["boom"], headers={"X-Request-ID": request_id})
        context = f"an unhandled exception in a {method} route"
        assert response.status_code == 500, f"{context}: expected 500, got {response.status_code}"
        assert probe_routes["secret"] not in response.text, (
            f"{context}: the 500 must not reveal the exception: {response.text[:300]}"
        )
        try:
            body = response.json()
        except ValueError:
            body = None
        assert body == {"detail": "Internal Server Error"}, (
            f'{context}: the 500 body must be {{"detail": "Internal Server Error"}}, got '
            f"{response.text[:300]!r}"
        )
        assert response.headers.get("x-request-id") == request_id, (
            f"{context}: X-Request-ID must be {request_id!r}, got "
            f"{response.headers.get('x-request-id')!r}"
        )
        _assert_process_time(response, context)


@pytest.mark.rule("middleware", "errors")
@pytest.mark.requirement("log-unhandled-with-id")
def test_unhandled_error_is_logged_with_request_id(client, probe_routes, app_logs):
    request_id = f"log-{uuid.uuid4().hex}"
    response = client.get(probe_routes["boom"], headers={"X-Request-ID": request_id})
    assert response.status_code == 500, f"expected 500, got {response.status_code}"
    generated = client.get(probe_routes["boom"])
    generated_id = generated.headers.get("x-request-id") or "<no X-Request-ID>"
    records = app_logs()
    for wanted in (request_id, generated_id):
        carrying = [r for r in records if wanted in r["message"] or wanted in r["extra"]]
        assert carrying, (
            f"the unhandled exception of request {wanted} must be logged together with its "
            "request id (in the message or the record's extra fields); records seen: "
            f"{[(r['name'], r['levelno'], r['message'][:120]) for r in records[-10:]]}"
        )
