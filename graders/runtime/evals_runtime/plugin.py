"""The pytest plugin every hidden suite runs under.

It provides the fixtures hidden tests use (``app``, ``client``, ``db_path``, ``db``,
``unique_email``), registers the ``rule`` marker that tags each test with the prompt
responsibility it checks, and streams one JSON line per test outcome to the report file the
harness reads. Streaming (flush per line) means a timeout or a crash keeps what finished.

Inputs come from the environment the harness sets:
``EVALS_ENTRYPOINT`` (``module:attr``), ``DATABASE_URL``, ``EVALS_DB_PATH``. The nonce and
the report path come from :func:`prime`, which the driver calls before any generated code is
imported; only when nothing primed the plugin are ``EVALS_REPORT`` and ``EVALS_CANARY_FILE``
(a file holding the run's nonce, read and deleted) taken from the environment at start-up.

Whatever order the hidden suite asks for, the harness's canaries run first, so a sample cut
short by its time limit still shows them. Test data is deterministic (``unique_email`` and
``random`` are seeded from the test id): grading a sample twice gives the same messages.
"""

from __future__ import annotations

import hashlib
import importlib
import itertools
import json
import os
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_REPORT: Any = None
_NONCE = ""
_PRIMED: tuple[str, str] | None = None


def prime(nonce: str, report_path: str) -> None:
    """Hand over the run's nonce and report path, which are no longer in the environment."""
    global _PRIMED
    _PRIMED = (nonce, report_path)


def canary_tag() -> str:
    """A value derived from the run's nonce; the harness checks it in the canary's failure."""
    return hashlib.sha256(f"canary:{_NONCE}".encode()).hexdigest()[:16]


def _emit(record: dict[str, Any]) -> None:
    if _REPORT is None:
        return
    _REPORT.write(json.dumps(record) + "\n")
    _REPORT.flush()


def pytest_configure(config: pytest.Config) -> None:
    global _REPORT, _NONCE
    config.addinivalue_line("markers", "rule(name, ...): prompt responsibility a test checks")
    if _PRIMED is not None:
        _NONCE, report = _PRIMED
    else:
        canary_file = os.environ.pop("EVALS_CANARY_FILE", "")
        if canary_file and Path(canary_file).exists():
            _NONCE = Path(canary_file).read_text().strip()
            Path(canary_file).unlink()
        report = os.environ.pop("EVALS_REPORT", "")
    if report:
        _REPORT = open(report, "a", buffering=1, encoding="utf-8")  # noqa: SIM115
    _cheapen_password_hashing()
    _emit({"event": "start", "nonce": _NONCE})


def _cheapen_password_hashing() -> None:
    """Minimum bcrypt/argon2 cost in this test process only (see :mod:`evals_runtime.hashing`)."""
    from evals_runtime.hashing import cheapen_password_hashing

    cheapen_password_hashing()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    canaries = [item for item in items if item.name.startswith("test_evals_canary_")]
    if canaries:
        items[:] = canaries + [item for item in items if item not in canaries]


def pytest_collection_finish(session: pytest.Session) -> None:
    _emit(
        {
            "event": "collected",
            "ids": [item.name for item in session.items],
            "rules": {item.name: _rules(item) for item in session.items},
        }
    )


def _rules(item: pytest.Item) -> list[str]:
    return [str(arg) for mark in item.iter_markers("rule") for arg in mark.args]


def pytest_itemcollected(item: pytest.Item) -> None:
    # Carry the tags on the item so the logreport hook (which only sees the report) has them.
    item.user_properties.append(("rules", _rules(item)))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    name = report.nodeid.split("::")[-1]
    rules: list[str] = []
    for key, value in report.user_properties:
        if key == "rules":
            rules = list(value)
    if report.when == "call" or report.outcome != "passed":
        message = ""
        if report.outcome != "passed":
            message = _short_message(report)
        _emit(
            {
                "event": "test",
                "id": name,
                "when": report.when,
                "outcome": report.outcome,
                "message": message,
                "duration": round(report.duration, 4),
                "rules": rules,
                "nonce": _NONCE,
            }
        )


def _short_message(report: pytest.TestReport) -> str:
    text = report.longreprtext or ""
    # The last "E   " lines carry the assertion; keep the report readable and bounded.
    lines = [line for line in text.splitlines() if line.startswith("E ")]
    summary = "\n".join(lines[-12:]) if lines else text[-2000:]
    return summary[:4000]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _emit({"event": "end", "exitstatus": int(exitstatus), "nonce": _NONCE})
    if _REPORT is not None:
        _REPORT.close()


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def app() -> Any:
    """The generated application, imported from ``EVALS_ENTRYPOINT`` after the env is set."""
    target = os.environ.get("EVALS_ENTRYPOINT", "app.main:app")
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attr or "app")


@pytest.fixture(scope="session")
def client(app: Any) -> Iterator[Any]:
    """A TestClient with the app's lifespan running; server errors become 500 responses."""
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def database_url() -> str:
    return os.environ["DATABASE_URL"]


@pytest.fixture(scope="session")
def db_path() -> Path:
    return Path(os.environ["EVALS_DB_PATH"])


@pytest.fixture
def db(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the app's database, for checks on what was stored."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture(autouse=True)
def _evals_seed_random(request: pytest.FixtureRequest) -> None:
    """Same test, same random numbers: a re-grade reproduces the same data and messages."""
    random.seed(request.node.nodeid)


@pytest.fixture
def unique_email(request: pytest.FixtureRequest) -> Any:
    """Factory for e-mail addresses no other test uses (tests share one database).

    Derived from the test id and a counter rather than uuid4, so messages are reproducible.
    """
    tag = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:10]
    counter = itertools.count()

    def make(prefix: str = "user") -> str:
        return f"{prefix}-{tag}-{next(counter)}@example.com"

    return make
