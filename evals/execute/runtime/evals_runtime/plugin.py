"""The pytest plugin every hidden suite runs under, in the judge's process.

It provides the fixtures hidden tests use, registers the ``rule`` marker that tags each test
with the prompt responsibility it checks, and streams one JSON line per test outcome to the
report file the harness reads. Streaming (flush per line) means a timeout or a crash keeps
what finished.

The judge never imports the app: it runs in another process and sandbox, as another uid
(:mod:`evals_runtime.judge`). Fixtures:

``client``
    a ``TestClient``-shaped httpx client over the app's unix socket (:mod:`.app_link`);
``openapi``
    the document the app serves at ``/openapi.json`` (a dict);
``db``
    a read-only view of the app's SQLite database as it is at each ``execute`` (copies the
    harness makes of the app's data folder; :mod:`.sample_files`);
``data_snapshot``
    a callable returning such a copy of the app's whole data folder (uploaded files...);
``source``
    the sample's Python source as text and ``ast`` trees, for structure checks;
``restart_app``
    stop the app and start it again on the same data (a second start), then reconnect;
``unique_email``
    reproducible addresses no other test uses.

Inputs come from the environment the harness sets (``EVALS_SOCKET``, ``EVALS_CONTROL``,
``EVALS_APP_EXIT``, ``EVALS_DB_PATH``, ``EVALS_SOURCE``, ``DATABASE_URL``). The nonce and the
report path come from :func:`prime`, called by the judge before pytest starts; only when
nothing primed the plugin are ``EVALS_REPORT`` and ``EVALS_CANARY_FILE`` taken from the
environment at start-up.

Whatever order the hidden suite asks for, the harness's canaries run first, so a sample cut
short by its time limit still shows them. Test data is deterministic (``unique_email`` and
``random`` are seeded from the test id): grading a sample twice gives the same messages.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from evals_runtime import protocol

_REPORT: Any = None
_NONCE = ""
_PRIMED: tuple[str, str] | None = None


def take_nonce() -> str:
    """The run's nonce, read once; its file is deleted and its path leaves the environment."""
    path = os.environ.pop(protocol.CANARY_FILE_ENV, "")
    if not path:
        return ""
    try:
        nonce = Path(path).read_text().strip()
        Path(path).unlink()
    except OSError:
        return ""
    return nonce


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
    config.addinivalue_line(
        "markers", "requirement(id, ...): the case's [requirements] a test checks"
    )
    if _PRIMED is not None:
        _NONCE, report = _PRIMED
    else:
        _NONCE = take_nonce()
        report = os.environ.pop(protocol.REPORT_ENV, "")
    if report:
        _REPORT = open(report, "a", buffering=1, encoding="utf-8")  # noqa: SIM115
    _cheapen_password_hashing()
    _emit({"event": "start", "nonce": _NONCE})


def _cheapen_password_hashing() -> None:
    """Minimum bcrypt/argon2 cost in this test process only (see :mod:`evals_runtime.hashing`)."""
    from evals_runtime.hashing import cheapen_password_hashing

    cheapen_password_hashing()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        protocol.ONLY_FLAG,
        action="append",
        default=[],
        help="run only this hidden test (an exact collected id; repeatable); canaries always run",
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    canaries = [item for item in items if item.name.startswith("test_evals_canary_")]
    only = set(config.getoption(protocol.ONLY_FLAG))
    kept = [i for i in items if i not in canaries and (not only or i.name in only)]
    if dropped := [i for i in items if i not in canaries and i not in kept]:
        config.hook.pytest_deselected(items=dropped)
    items[:] = canaries + kept


def pytest_collection_finish(session: pytest.Session) -> None:
    _emit(
        {
            "event": "collected",
            "ids": [item.name for item in session.items],
            "rules": {item.name: _rules(item) for item in session.items},
            "requirements": {
                item.name: [str(a) for m in item.iter_markers("requirement") for a in m.args]
                for item in session.items
            },
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
        if key == "rules" and isinstance(value, list):  # the entry pytest_itemcollected adds
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
def app_link() -> Any:
    from evals_runtime import app_link

    return app_link.from_environment()


@pytest.fixture(scope="session")
def client(app_link: Any) -> Iterator[Any]:
    """The app over its socket; every test fails at once when the app never started."""
    problem = app_link.wait_until_ready()
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    with app_link.client() as app_client:
        yield app_client


@pytest.fixture
def restart_app(app_link: Any, client: Any) -> Any:
    """A callable that restarts the app on the same data and reconnects ``client``."""

    def restart() -> None:
        problem = app_link.restart()
        # The harness saw the socket answer; this process runs as another uid, and uvicorn
        # opens the socket to others only after it listens: wait from this side too.
        problem = problem or app_link.wait_until_ready()
        if problem is not None:
            pytest.fail(f"restarting the app: {problem}", pytrace=False)
        client.reconnect()

    return restart


@pytest.fixture(scope="session")
def openapi(client: Any) -> dict[str, Any]:
    """The OpenAPI document the app serves at ``/openapi.json``."""
    response = client.get("/openapi.json")
    assert response.status_code == 200, f"GET /openapi.json answered {response.status_code}"
    document = response.json()
    assert isinstance(document, dict), "GET /openapi.json did not answer a JSON object"
    return document


@pytest.fixture(scope="session")
def database_url() -> str:
    return os.environ["DATABASE_URL"]


@pytest.fixture(scope="session")
def db_path() -> Path:
    return Path(os.environ[protocol.DB_PATH_ENV])


@pytest.fixture
def data_snapshot(app_link: Any) -> Any:
    """A callable: a fresh copy of the app's data folder (a ``Path``), as it is now.

    Paths inside it are those under the app's data folder (``{data}`` in case.toml).
    """

    def take() -> Path:
        try:
            return app_link.snapshot()
        except OSError as exc:
            pytest.fail(f"cannot read the app's data: {exc}", pytrace=False)

    return take


@pytest.fixture
def db(db_path: Path, data_snapshot: Any) -> Iterator[Any]:
    """A read-only view of the app's database, for checks on what was stored."""
    from evals_runtime.sample_files import SnapshotDB

    view = SnapshotDB(db_path.name, data_snapshot)
    try:
        yield view
    finally:
        view.close()


@pytest.fixture(scope="session")
def source() -> Any:
    """The sample's source, as text and syntax trees (never imported)."""
    from evals_runtime.sample_files import Source

    return Source(Path(os.environ[protocol.SOURCE_ENV]))


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
