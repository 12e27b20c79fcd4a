"""Harness-owned set-up for the middleware-stack suite.

CORS_ORIGINS comes from the case's ``[env]`` table (set before the harness first imports the
app). The value has a space after the comma on purpose: the prompt says whitespace around
entries is ignored.

The suite needs two routes of its own in the app (the prompt asks for application-wide
middleware "that also covers routes added later"): one that fails with an unhandled
exception and one that reports ``request.state.request_id``. The case's shim
(``shim/evals_case_shim.py``) adds them inside the app's process before it is served; the
paths and the marker of the failing route's exception are repeated here.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

APP_ORIGIN = "https://app.example.com"
ADMIN_ORIGIN = "https://admin.example.com"
assert os.environ["CORS_ORIGINS"] == f"{APP_ORIGIN}, {ADMIN_ORIGIN}", "see case.toml [env]"

BOOM_PATH = "/__evals__/boom"
STATE_PATH = "/__evals__/request-state"
BOOM_SECRET = "evals-boom-secret-5e1f"
SHIM_ERROR_PATH = "/__evals__/shim-error"


@pytest.fixture(scope="session")
def app_origin() -> str:
    return APP_ORIGIN


@pytest.fixture(scope="session")
def admin_origin() -> str:
    return ADMIN_ORIGIN


@pytest.fixture(scope="session")
def probe_routes(client: Any) -> dict[str, str]:
    """The paths of the routes the shim added, and the failing route's secret marker."""
    response = client.get(SHIM_ERROR_PATH)
    if response.status_code == 200:
        try:
            problem = response.json().get("error")
        except (ValueError, AttributeError):
            problem = None
        if problem:
            pytest.fail(f"the suite's probe routes could not be added to the app: {problem}")
    return {"boom": BOOM_PATH, "state": STATE_PATH, "secret": BOOM_SECRET}


SLOW_PATH = "/__evals__/slow"
SLOW_MS = 50.0  # the shim's slow route awaits asyncio.sleep(0.05) before answering
LOGS_PATH = "/__evals__/logs"
FRESH_PATH = "/__evals__/fresh-start"


@pytest.fixture
def app_logs(client: Any, probe_routes: dict[str, str]) -> Any:
    """A callable returning the log records (message + extra fields) the app emitted."""

    def read() -> list[dict[str, Any]]:
        response = client.get(LOGS_PATH)
        assert response.status_code == 200, f"the shim's log reader answered {response.status_code}"
        return list(response.json()["logs"])

    return read


@pytest.fixture
def fresh_start(client: Any, probe_routes: dict[str, str]) -> Any:
    """Start a second copy of the app with another CORS_ORIGINS (None: unset); send it requests.

    Returns the shim's report: ``started``, ``error`` and one ``{"status", "headers"}`` per
    request (header names lower-case).
    """

    def start(cors_origins: str | None, requests: list[dict[str, Any]]) -> dict[str, Any]:
        response = client.post(
            FRESH_PATH, json={"cors_origins": cors_origins, "requests": requests}
        )
        assert response.status_code == 200, (
            f"the shim's fresh start answered {response.status_code}: {response.text[:500]}"
        )
        return dict(response.json())

    return start
