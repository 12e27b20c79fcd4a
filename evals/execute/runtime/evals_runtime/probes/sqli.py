"""SQL-injection probes: classic payloads sent through login forms and lookups.

Schema-agnostic: the probes only drive the app through a ``TestClient`` and judge the HTTP
answers, so they hold for an ORM, a parameterised ``text()`` query or any other safe
implementation. A payload is a *finding* when the app

- authenticates with it (a 2xx from a login endpoint: the password check was bypassed),
- crashes on it (a 5xx: the payload reached the SQL text and broke its syntax, the usual
  sign of a query assembled with f-strings, ``%`` or ``+``), or
- returns rows for it (a lookup for a value no record has answered with data: ``' OR
  '1'='1`` turned the ``WHERE`` clause into a tautology, or a ``UNION`` leaked rows).

A lone quote (``'``) is the most reliable detector: a safe query looks for the literal
character and finds nothing, a string-built one fails to parse and answers 500.

Typical use in a hidden test::

    from evals_runtime.probes.sqli import assert_login_not_bypassed

    def test_login_resists_sqli(client):
        client.post("/api/v1/users", json={"username": "alice", ...})
        assert_login_not_bypassed(client, "/api/v1/auth/login", identity="alice")

Every ``assert_*`` function checks all payloads first and then raises one
``AssertionError`` listing each finding (payload, status, body preview).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

__all__ = [
    "CLASSIC_PAYLOADS",
    "LOGIN_PAYLOADS",
    "LOOKUP_PAYLOADS",
    "PASSWORD_PAYLOADS",
    "UNION_PAYLOADS",
    "anchored_payloads",
    "assert_login_not_bypassed",
    "assert_lookup_not_injectable",
    "assert_not_injectable",
    "count_rows",
]

# Payloads that break out of a single- or double-quoted string literal. None contains ``%``
# or ``_`` (LIKE wildcards), so a correct substring search for them matches nothing.
CLASSIC_PAYLOADS: tuple[str, ...] = (
    "'",
    '"',
    "' OR '1'='1",
    "' OR '1'='1' --",
    "' OR 1=1 --",
    "' OR 1=1#",
    "') OR ('1'='1",
    '" OR "1"="1',
    '" OR 1=1 --',
    "admin'--",
    "admin' #",
    "admin'/*",
    "'; DROP TABLE users; --",
    '"; DROP TABLE users; --',
)

# UNION SELECTs with 1..6 columns: one of them matches a typical SELECT and returns a row of
# NULLs (a leaked row or a 500 on serialising it); the others make the query fail (a 500).
UNION_PAYLOADS: tuple[str, ...] = tuple(
    "' UNION SELECT " + ", ".join(["NULL"] * n) + " --" for n in range(1, 7)
)

LOGIN_PAYLOADS: tuple[str, ...] = CLASSIC_PAYLOADS + UNION_PAYLOADS
LOOKUP_PAYLOADS: tuple[str, ...] = CLASSIC_PAYLOADS + UNION_PAYLOADS

# Sent as the password of a real account, and as both fields at once. Kept short: each
# attempt on a real account costs one slow-hash verification in a correct app.
PASSWORD_PAYLOADS: tuple[str, ...] = (
    "'",
    "' OR '1'='1",
    "' OR 1=1 --",
    "') OR ('1'='1",
    '" OR "1"="1',
    "' OR ''='",
)
_PREVIEW = 200
_LIST_KEYS = ("items", "results", "data", "users", "rows")


def anchored_payloads(value: str) -> tuple[str, ...]:
    """Payloads that start with a value that exists (a real username, a real title) and then
    break out of the literal: ``alice'--`` comments out the rest of the ``WHERE`` clause
    (the password check), ``alice' OR '1'='1`` matches every row."""
    return (
        f"{value}'--",
        f"{value}' --",
        f"{value}'#",
        f"{value}'/*",
        f"{value}' OR '1'='1",
        f"{value}' OR 1=1 --",
        f'{value}" --',
        f'{value}" OR "1"="1',
    )


def count_rows(body: Any) -> int:
    """How many records a JSON answer carries: the length of a bare array or of an envelope's
    ``items``/``results``/``data`` array; ``1`` for any other non-empty object."""
    if body is None:
        return 0
    if isinstance(body, list):
        return len(body)
    if isinstance(body, Mapping):
        for key in _LIST_KEYS:
            if isinstance(body.get(key), list):
                return len(body[key])
        return 1 if body else 0
    return 1


def _preview(response: Any) -> str:
    text = response.text or ""
    return text if len(text) <= _PREVIEW else text[:_PREVIEW] + "..."


def _json(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _raise(findings: Sequence[str], headline: str, advice: str) -> None:
    if findings:
        shown = "\n  - ".join(findings[:12])
        more = f"\n  ... and {len(findings) - 12} more" if len(findings) > 12 else ""
        raise AssertionError(
            f"{headline} ({len(findings)} finding(s)):\n  - {shown}{more}\n{advice}"
        )


_ADVICE = (
    "Build SQL with bound parameters (SQLAlchemy select()/ORM, or text() with :name "
    "parameters), never by formatting user input into the statement."
)


def assert_not_injectable(
    send: Callable[[str], Any],
    *,
    label: str,
    payloads: Iterable[str] = LOOKUP_PAYLOADS,
    ok_statuses: Iterable[int] = (200, 400, 404, 422),
    max_rows: int = 0,
    must_not_leak: Iterable[str] = (),
) -> None:
    """The general probe: ``send(payload)`` performs one request carrying the payload.

    Each answer must be one of ``ok_statuses`` (never a 5xx), a 2xx must carry at most
    ``max_rows`` records (see :func:`count_rows`), and no answer may contain any string of
    ``must_not_leak`` (e.g. another user's e-mail address).
    """
    allowed = tuple(ok_statuses)
    secrets_ = [s for s in must_not_leak if s]
    findings: list[str] = []
    for payload in payloads:
        response = send(payload)
        status = response.status_code
        where = f"{label} with {payload!r}"
        if status >= 500:
            findings.append(
                f"{where} crashed with {status} (the payload reached the SQL text): "
                f"{_preview(response)}"
            )
            continue
        if 200 <= status < 300:
            rows = count_rows(_json(response))
            if rows > max_rows:
                findings.append(
                    f"{where} answered {status} with {rows} record(s) although no record "
                    f"matches that literal value (at most {max_rows} expected): "
                    f"{_preview(response)}"
                )
                continue
        if status not in allowed:
            findings.append(
                f"{where} answered {status}, expected one of {allowed}: {_preview(response)}"
            )
            continue
        leaked = [s for s in secrets_ if s in (response.text or "")]
        if leaked:
            findings.append(f"{where} leaked {leaked!r} in its answer: {_preview(response)}")
    _raise(findings, f"SQL injection through {label}", _ADVICE)


def assert_lookup_not_injectable(
    client: Any,
    url_template: str,
    *,
    query_param: str | None = None,
    anchors: Iterable[str] = (),
    payloads: Iterable[str] = LOOKUP_PAYLOADS,
    headers: Mapping[str, str] | None = None,
    ok_statuses: Iterable[int] = (200, 400, 404, 422),
    max_rows: int = 0,
    must_not_leak: Iterable[str] = (),
) -> None:
    """A GET lookup or search finds nothing for injection payloads and never crashes.

    With ``query_param`` the payload is sent as that query parameter of ``url_template``
    (``/api/v1/users`` + ``?search=<payload>``); without it ``url_template`` holds a
    ``{payload}`` placeholder for a path segment (``/api/v1/users/{payload}``), filled
    percent-encoded. ``anchors`` are existing values (a real username) to build
    :func:`anchored_payloads` from: ``alice' OR '1'='1`` must not return alice nor anyone.
    """
    every = list(payloads)
    for anchor in anchors:
        every.extend(anchored_payloads(anchor))
    hdrs = dict(headers or {})

    def send(payload: str) -> Any:
        if query_param is not None:
            return client.get(url_template, params={query_param: payload}, headers=hdrs)
        return client.get(url_template.format(payload=quote(payload, safe="")), headers=hdrs)

    label = f"GET {url_template}" + (f"?{query_param}=" if query_param else "")
    assert_not_injectable(
        send,
        label=label,
        payloads=every,
        ok_statuses=ok_statuses,
        max_rows=max_rows,
        must_not_leak=must_not_leak,
    )


def assert_login_not_bypassed(
    client: Any,
    url: str,
    field_names: Sequence[str] = ("username", "password"),
    *,
    identity: str | None = None,
    password: str | None = None,
    form: bool = False,
    extra_fields: Mapping[str, Any] | None = None,
    payloads: Iterable[str] = LOGIN_PAYLOADS,
    password_payloads: Iterable[str] = PASSWORD_PAYLOADS,
    rejected_statuses: Iterable[int] = (400, 401, 403, 404, 422),
) -> None:
    """No injection payload logs in, and none crashes the login endpoint.

    ``field_names`` are the identity and password fields (``("email", "password")`` for an
    e-mail login); ``form=True`` posts them form-encoded (``OAuth2PasswordRequestForm``)
    instead of as JSON. Tried: each of ``payloads`` as the identity with a random password;
    each of ``password_payloads`` as both fields at once (``' OR '1'='1`` in both makes an
    ``... AND password = '...'`` clause a tautology) and, when ``identity`` (an existing
    account) is given, as that account's password; and :func:`anchored_payloads` of
    ``identity`` as the identity (``alice'--`` cuts off the password check). ``password``,
    when given, is the account's real password; it is never sent, only used to make sure no
    attempt accidentally carries it.

    Every attempt must be refused with one of ``rejected_statuses``; a 2xx is a bypass, a 5xx
    a query built from the input.
    """
    id_field, pw_field = field_names[0], field_names[1]
    extra = dict(extra_fields or {})
    attempts: list[tuple[str, str]] = [
        (payload, "wrong-" + secrets.token_hex(6)) for payload in payloads
    ]
    for payload in password_payloads:
        attempts.append((payload, payload))
        if identity is not None:
            attempts.append((identity, payload))
    if identity is not None:
        attempts.extend(
            (anchored, "wrong-" + secrets.token_hex(6)) for anchored in anchored_payloads(identity)
        )
    if password is not None:
        attempts = [(i, p) for i, p in attempts if p != password]

    refused = tuple(rejected_statuses)
    findings: list[str] = []
    for ident, secret in attempts:
        body = {**extra, id_field: ident, pw_field: secret}
        response = client.post(url, data=body) if form else client.post(url, json=body)
        status = response.status_code
        where = f"{id_field}={ident!r}, {pw_field}={secret!r}"
        if 200 <= status < 300:
            findings.append(f"{where} logged in ({status}): {_preview(response)}")
        elif status >= 500:
            findings.append(
                f"{where} crashed the login with {status} (the input reached the SQL text): "
                f"{_preview(response)}"
            )
        elif status not in refused:
            findings.append(f"{where} answered {status}, expected one of {refused}")
    _raise(findings, f"SQL injection against the login POST {url}", _ADVICE)
