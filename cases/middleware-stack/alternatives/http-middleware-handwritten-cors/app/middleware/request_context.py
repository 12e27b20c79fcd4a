import logging
import string
import time
import uuid
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from fastapi.responses import JSONResponse

logger = logging.getLogger(__name__)

_ALLOWED_CHARS = frozenset(string.ascii_letters + string.digits + "-_.")
MAX_REQUEST_ID_LENGTH = 64


def is_valid_request_id(value: str) -> bool:
    return 0 < len(value) <= MAX_REQUEST_ID_LENGTH and set(value) <= _ALLOWED_CHARS


async def request_context(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Request id + timing on every response; unhandled errors become a generic 500."""
    incoming = request.headers.get("x-request-id", "")
    request_id = incoming if is_valid_request_id(incoming) else str(uuid.uuid4())
    request.state.request_id = request_id
    start = time.perf_counter_ns()
    try:
        response = await call_next(request)
    except Exception:
        logger.exception("request %s failed", request_id)
        response = JSONResponse(
            status_code=500, content={"detail": "Internal Server Error"}
        )
    response.headers["X-Request-ID"] = request_id
    response.headers["X-Process-Time"] = str((time.perf_counter_ns() - start) / 1e6)
    return response
