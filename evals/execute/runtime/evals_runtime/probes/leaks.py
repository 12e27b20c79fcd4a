"""Leak probe: an error response must not expose the server's internals.

An API that answers a failure with a traceback, an exception's class name, a file path or a
SQL statement hands an attacker a map of the code and the database. ``find_internal_leaks``
scans a response's text for those tell-tale signs; ``assert_no_internals_leaked`` fails the
test with one line per finding.

Use it on responses the app produces when something goes wrong, with the ``client`` fixture
(``raise_server_exceptions=False``), so that an unhandled exception is a response to inspect
rather than a test error::

    from evals_runtime.probes.leaks import assert_no_internals_leaked

    response = client.post("/api/v1/things", json=duplicate)
    assert_no_internals_leaked(response, secrets=["things.name"])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["EXCEPTION_NAMES", "assert_no_internals_leaked", "find_internal_leaks"]

# Exception class names (and their modules) that have no business in a response body.
EXCEPTION_NAMES: tuple[str, ...] = (
    "Traceback",
    "IntegrityError",
    "OperationalError",
    "ProgrammingError",
    "DataError",
    "DatabaseError",
    "InterfaceError",
    "StatementError",
    "NoResultFound",
    "MultipleResultsFound",
    "ValueError",
    "KeyError",
    "TypeError",
    "AttributeError",
    "IndexError",
    "LookupError",
    "RuntimeError",
    "ZeroDivisionError",
    "AssertionError",
    "NotImplementedError",
    "ValidationError",
    "ResponseValidationError",
    "sqlalchemy",
    "sqlite3",
    "aiosqlite",
    "psycopg",
    "asyncpg",
    "pydantic_core",
    "starlette",
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a Python traceback frame", re.compile(r'File "[^"]+", line \d+')),
    ("a traceback header", re.compile(r"Traceback \(most recent call last\)")),
    ("a Python source path", re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+)+\.py\b")),
    ("a site-packages path", re.compile(r"site-packages|dist-packages")),
    (
        "an SQL statement",
        re.compile(
            r"\b(?:INSERT\s+INTO|SELECT\s+[\w*.,\s]+\s+FROM|UPDATE\s+\w+\s+SET|"
            r"DELETE\s+FROM|CREATE\s+TABLE)\b"
        ),
    ),
    ("an SQL constraint message", re.compile(r"(?:UNIQUE|NOT NULL|FOREIGN KEY) constraint failed")),
    ("SQLAlchemy's error-page link", re.compile(r"sqlalche\.me/e/")),
    ("a bound-parameters dump", re.compile(r"\[parameters: ")),
    ("an object repr with an address", re.compile(r"<[\w.]+ object at 0x[0-9a-fA-F]+>")),
)


def _text(response_or_text: Any) -> str:
    if isinstance(response_or_text, str):
        return response_or_text
    if isinstance(response_or_text, bytes):
        return response_or_text.decode("utf-8", "replace")
    text = getattr(response_or_text, "text", None)
    if isinstance(text, str):
        return text
    return str(response_or_text)


def find_internal_leaks(
    response_or_text: Any,
    *,
    secrets: Iterable[str] = (),
    extra_names: Iterable[str] = (),
) -> list[str]:
    """Every sign of internals in a response (or a string): one readable line per finding.

    ``secrets``: strings the test planted in the failure (an exception message, a table
    name) that must not be echoed. ``extra_names``: more class or module names to flag.
    Header values are scanned too (a traceback in an ``X-Error`` header is still a leak).
    """
    text = _text(response_or_text)
    headers = getattr(response_or_text, "headers", None)
    if headers is not None:
        text += "\n" + "\n".join(f"{k}: {v}" for k, v in headers.items())
    findings: list[str] = []
    for name in (*EXCEPTION_NAMES, *extra_names):
        if name and name in text:
            findings.append(f"exception/module name {name!r}")
    for label, pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            findings.append(f"{label}: {match.group(0)[:80]!r}")
    for secret in secrets:
        if secret and secret in text:
            findings.append(f"the internal message {secret[:80]!r}")
    return findings


def assert_no_internals_leaked(
    response_or_text: Any,
    *,
    secrets: Iterable[str] = (),
    extra_names: Iterable[str] = (),
) -> None:
    """Fail with every finding when a response exposes tracebacks, exception names, source
    paths, SQL or the planted ``secrets``."""
    findings = find_internal_leaks(response_or_text, secrets=secrets, extra_names=extra_names)
    if findings:
        body = _text(response_or_text)[:300]
        status = getattr(response_or_text, "status_code", "?")
        raise AssertionError(
            f"the response (status {status}) leaks server internals: "
            + "; ".join(findings)
            + f". Body starts: {body!r}"
        )
