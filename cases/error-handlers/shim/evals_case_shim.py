"""Harness-owned additions to the error-handlers app (runs in the app's process).

The suite checks that the app's handlers cover *every* unhandled exception and every
``HTTPException``, including ones the app's own code never raises. So a few ``GET`` routes
that fail on purpose are added to the app before it is served, first in the routing table
(no catch-all route of the app can shadow them) and left out of the OpenAPI document:

- ``/__evals__/boom/runtime``, ``/boom/value``, ``/boom/key``: a RuntimeError, a ValueError,
  a KeyError; ``/boom/database``: a SQLAlchemy ``OperationalError`` carrying SQL;
- ``/__evals__/boom/zero``, ``/boom/assert``, ``/boom/custom`` (an ``Exception`` subclass
  defined here), ``/boom/dependency`` (raised by a dependency), and ``POST /boom/post``;
- ``/__evals__/http/401`` (with ``WWW-Authenticate: Bearer``), ``/http/403``, ``/http/418``:
  ``fastapi.HTTPException``;
- ``/__evals__/http-status/{status_code}``: ``fastapi.HTTPException(status_code, detail="Evals
  detail <status_code>", headers={"X-Evals-Header": "kept-<status_code>"})``;
- ``/__evals__/http-starlette``: ``starlette.exceptions.HTTPException(409, "Starlette
  conflict")``; ``/__evals__/http-object-detail``: ``HTTPException(400, detail={...})``;
- ``POST /__evals__/nested``: a body ``{"items": [{"qty": int}, ...]}``, to see how a nested
  validation error's location is reported.

The exceptions' messages carry a marker that must never reach a client. ``GET
/__evals__/shim-error`` answers ``{"error": null}``, or why the routes could not be added.
"""

from __future__ import annotations

import traceback
from typing import Any

PREFIX = "/__evals__"
ERROR_PATH = f"{PREFIX}/shim-error"
PLANTED = "s3cr3t-7f3a9c"

_problems: list[str] = []


async def runtime_error() -> None:
    raise RuntimeError(f"kaboom {PLANTED} in /srv/app/internal/billing.py")


def value_error() -> None:
    raise ValueError(f"invalid literal for int() with base 10: '{PLANTED}'")


async def key_error() -> None:
    raise KeyError(f"missing-{PLANTED}")


async def database_error() -> None:
    from sqlalchemy.exc import OperationalError

    raise OperationalError(
        f"SELECT password_hash FROM users_{PLANTED} WHERE id = ?",
        (1,),
        Exception("database is locked"),
    )


async def unauthorized() -> None:
    from fastapi import HTTPException

    raise HTTPException(
        status_code=401, detail="Not authenticated", headers={"WWW-Authenticate": "Bearer"}
    )


async def forbidden() -> None:
    from fastapi import HTTPException

    raise HTTPException(status_code=403, detail="Forbidden zone")


async def teapot() -> None:
    from fastapi import HTTPException

    raise HTTPException(status_code=418, detail="I'm a teapot")


class EvalsShimFailure(Exception):
    """An exception class no application can know about."""


def zero_error() -> None:
    return 1 // 0  # type: ignore[return-value]


async def assert_error() -> None:
    raise AssertionError(f"invariant broken: {PLANTED}")


async def custom_error() -> None:
    raise EvalsShimFailure(f"kaboom {PLANTED}")


def _failing_dependency() -> None:
    raise RuntimeError(f"kaboom {PLANTED} in a dependency")


async def runtime_error_on_post() -> None:
    raise RuntimeError(f"kaboom {PLANTED} on POST")


async def http_status(status_code: int) -> None:
    from fastapi import HTTPException

    raise HTTPException(
        status_code=status_code,
        detail=f"Evals detail {status_code}",
        headers={"X-Evals-Header": f"kept-{status_code}"},
    )


async def starlette_http() -> None:
    from starlette.exceptions import HTTPException

    raise HTTPException(status_code=409, detail="Starlette conflict")


async def object_detail() -> None:
    from fastapi import HTTPException

    raise HTTPException(status_code=400, detail={"reason": "structured", "code": 7})


async def shim_error() -> dict[str, Any]:
    return {"error": "; ".join(_problems) or None}


ROUTES = {
    "shim-error": shim_error,
    "boom/runtime": runtime_error,
    "boom/value": value_error,
    "boom/key": key_error,
    "boom/database": database_error,
    "http/401": unauthorized,
    "http/403": forbidden,
    "http/418": teapot,
}


ROUTES.update(
    {
        "boom/zero": zero_error,
        "boom/assert": assert_error,
        "boom/custom": custom_error,
        "http-status/{status_code}": http_status,
        "http-starlette": starlette_http,
        "http-object-detail": object_detail,
    }
)


def _extra_routes(app: Any) -> None:
    from fastapi import Depends
    from pydantic import BaseModel

    class Item(BaseModel):
        qty: int

    class Order(BaseModel):
        items: list[Item]

    async def nested(order: Order) -> dict[str, int]:
        return {"items": len(order.items)}

    # This module uses postponed annotations; the models are local, so give FastAPI the
    # classes themselves.
    nested.__annotations__ = {"order": Order, "return": dict[str, int]}

    async def dependency_error(_: None = Depends(_failing_dependency)) -> None:
        return None

    app.add_api_route(
        f"{PREFIX}/boom/dependency", dependency_error, methods=["GET"], include_in_schema=False
    )
    app.add_api_route(
        f"{PREFIX}/boom/post", runtime_error_on_post, methods=["POST"], include_in_schema=False
    )
    app.add_api_route(f"{PREFIX}/nested", nested, methods=["POST"], include_in_schema=False)


def install(app: Any) -> None:
    try:
        before = len(app.router.routes)
        for path, endpoint in ROUTES.items():
            app.add_api_route(
                f"{PREFIX}/{path}", endpoint, methods=["GET"], include_in_schema=False
            )
        _extra_routes(app)
        # Put them first so that no catch-all route of the app can shadow them.
        added = app.router.routes[before:]
        del app.router.routes[before:]
        app.router.routes[:0] = added
    except Exception as exc:  # never take the app down: the suite reports it
        problem = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:500]
        _problems.append(f"adding the suite's failing routes failed: {problem}")
