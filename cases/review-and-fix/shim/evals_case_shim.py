"""Harness-owned additions to the Bloglet app (runs in the app's process).

The contract says an unexpected error is a 500 with a generic ``{"detail": ...}`` message and
no exception text. The app's own code has no route that fails on purpose, so a few are added
before it is served, first in the routing table and left out of the OpenAPI document:

- ``GET /__evals__/boom/runtime``: a RuntimeError; ``GET /__evals__/boom/key``: a KeyError;
- ``POST /__evals__/boom/database``: a SQLAlchemy ``OperationalError`` carrying SQL.

Their messages carry a marker that must never reach a client. ``GET /__evals__/shim-error``
answers ``{"error": null}``, or why the routes could not be added.
"""

from __future__ import annotations

import traceback
from typing import Any

PREFIX = "/__evals__"
PLANTED = "s3cr3t-b10g1e7"

_problems: list[str] = []


async def runtime_error() -> None:
    raise RuntimeError(f"kaboom {PLANTED} in /srv/bloglet/internal/feed.py")


async def key_error() -> None:
    raise KeyError(f"missing-{PLANTED}")


async def database_error() -> None:
    from sqlalchemy.exc import OperationalError

    raise OperationalError(
        f"SELECT hashed_password FROM users_{PLANTED} WHERE id = ?",
        (1,),
        Exception("database is locked"),
    )


async def shim_error() -> dict[str, Any]:
    return {"error": "; ".join(_problems) or None}


ROUTES = (
    ("shim-error", shim_error, "GET"),
    ("boom/runtime", runtime_error, "GET"),
    ("boom/key", key_error, "GET"),
    ("boom/database", database_error, "POST"),
)


def install(app: Any) -> None:
    try:
        before = len(app.router.routes)
        for path, endpoint, method in ROUTES:
            app.add_api_route(
                f"{PREFIX}/{path}", endpoint, methods=[method], include_in_schema=False
            )
        # Put them first so that no catch-all route of the app can shadow them.
        added = app.router.routes[before:]
        del app.router.routes[before:]
        app.router.routes[:0] = added
    except Exception as exc:  # never take the app down: the suite reports it
        problem = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:500]
        _problems.append(f"adding the suite's failing routes failed: {problem}")
