"""Harness-owned additions to the middleware-stack app (runs in the app's process).

The prompt asks for application-wide middleware "that also covers routes added later", so
two routes are added to the app after it is built, before it is served:

- ``GET /__evals__/boom`` fails with an unhandled exception (its message carries a marker
  that must never reach the client);
- ``GET /__evals__/request-state`` answers ``{"request_id": request.state.request_id}``.

Both are left out of the OpenAPI document. If adding them fails, the app is served anyway
and ``GET /__evals__/shim-error`` says why, so the tests that need them fail clearly.
"""

from __future__ import annotations

import traceback
from typing import Any

from starlette.requests import Request

BOOM_PATH = "/__evals__/boom"
STATE_PATH = "/__evals__/request-state"
ERROR_PATH = "/__evals__/shim-error"
BOOM_SECRET = "evals-boom-secret-5e1f"


async def boom() -> dict[str, str]:
    raise RuntimeError(f"unexpected failure {BOOM_SECRET}")


async def request_state(request: Request) -> dict[str, Any]:
    return {"request_id": getattr(request.state, "request_id", None)}


def install(app: Any) -> None:
    try:
        app.add_api_route(BOOM_PATH, boom, methods=["GET"], include_in_schema=False)
        app.add_api_route(STATE_PATH, request_state, methods=["GET"], include_in_schema=False)
    except Exception as exc:  # never take the app down: report it instead
        problem = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:500]

        async def shim_error() -> dict[str, str]:
            return {"error": f"adding the probe routes failed: {problem}"}

        try:
            app.add_api_route(ERROR_PATH, shim_error, methods=["GET"], include_in_schema=False)
        except Exception:  # noqa: S110 - the probe routes' absence is reported by the tests
            pass
