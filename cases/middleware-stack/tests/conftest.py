"""Harness-owned set-up for the middleware-stack suite.

CORS_ORIGINS comes from the case's ``[env]`` table (set before the harness first imports the
app). The value has a space after the comma on purpose: the prompt says whitespace around
entries is ignored.

The suite adds two routes of its own to the app (the prompt asks for application-wide
middleware "that also covers routes added later"): one that fails with an unhandled
exception and one that reports ``request.state.request_id``.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from starlette.requests import Request

APP_ORIGIN = "https://app.example.com"
ADMIN_ORIGIN = "https://admin.example.com"
assert os.environ["CORS_ORIGINS"] == f"{APP_ORIGIN}, {ADMIN_ORIGIN}", "see case.toml [env]"



BOOM_PATH = "/__evals__/boom"
STATE_PATH = "/__evals__/request-state"
BOOM_SECRET = "evals-boom-secret-5e1f"


@pytest.fixture(scope="session")
def app_origin() -> str:
    return APP_ORIGIN


@pytest.fixture(scope="session")
def admin_origin() -> str:
    return ADMIN_ORIGIN


@pytest.fixture(scope="session")
def probe_routes(app: Any) -> dict[str, str]:
    """Add the suite's own routes to the app; returns their paths and the boom secret."""

    async def boom() -> dict[str, str]:
        raise RuntimeError(f"unexpected failure {BOOM_SECRET}")

    async def request_state(request: Request) -> dict[str, Any]:
        return {"request_id": getattr(request.state, "request_id", None)}

    paths = {route.path for route in app.routes if hasattr(route, "path")}
    if BOOM_PATH not in paths:
        app.add_api_route(BOOM_PATH, boom, methods=["GET"], include_in_schema=False)
        app.add_api_route(STATE_PATH, request_state, methods=["GET"], include_in_schema=False)
    return {"boom": BOOM_PATH, "state": STATE_PATH, "secret": BOOM_SECRET}
