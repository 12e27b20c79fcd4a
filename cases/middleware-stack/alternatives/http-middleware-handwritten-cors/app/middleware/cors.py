"""A small, explicit CORS policy: exact-match allow-list, credentials, no wildcards."""

from collections.abc import Awaitable, Callable, Iterable

from fastapi import Request, Response
from fastapi.responses import PlainTextResponse

ALLOWED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ALLOWED_HEADERS = ("Authorization", "Content-Type", "X-Request-ID")
EXPOSED_HEADERS = ("X-Request-ID", "X-Process-Time")
MAX_AGE_SECONDS = 600

Handler = Callable[
    [Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]
]


def _add_vary_origin(response: Response) -> None:
    vary = [v.strip() for v in response.headers.get("vary", "").split(",") if v.strip()]
    if "origin" not in {v.lower() for v in vary}:
        vary.append("Origin")
    response.headers["Vary"] = ", ".join(vary)


def make_cors_middleware(origins: Iterable[str]) -> Handler:
    allowed_origins = frozenset(origins)
    allowed_headers = {h.lower() for h in ALLOWED_HEADERS}

    def preflight(request: Request, origin: str) -> Response:
        method = request.headers["access-control-request-method"].upper()
        requested = [
            h.strip().lower()
            for h in request.headers.get("access-control-request-headers", "").split(
                ","
            )
            if h.strip()
        ]
        if (
            origin not in allowed_origins
            or method not in ALLOWED_METHODS
            or not set(requested) <= allowed_headers
        ):
            response: Response = PlainTextResponse("CORS preflight refused", 400)
        else:
            response = Response(status_code=200)
            response.headers.update(
                {
                    "Access-Control-Allow-Origin": origin,
                    "Access-Control-Allow-Credentials": "true",
                    "Access-Control-Allow-Methods": ", ".join(ALLOWED_METHODS),
                    "Access-Control-Allow-Headers": ", ".join(ALLOWED_HEADERS),
                    "Access-Control-Max-Age": str(MAX_AGE_SECONDS),
                }
            )
        _add_vary_origin(response)
        return response

    async def cors(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        origin = request.headers.get("origin")
        if origin is None:
            return await call_next(request)
        if (
            request.method == "OPTIONS"
            and "access-control-request-method" in request.headers
        ):
            return preflight(request, origin)
        response = await call_next(request)
        if origin in allowed_origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Access-Control-Expose-Headers"] = ", ".join(
                EXPOSED_HEADERS
            )
        _add_vary_origin(response)
        return response

    return cors
