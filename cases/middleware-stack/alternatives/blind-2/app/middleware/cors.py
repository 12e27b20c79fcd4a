"""A small, explicit CORS implementation for credentialed browser clients.

* Only exact matches against the configured origins are allowed.
* Allowed origins are echoed back (never ``*``) together with
  ``Access-Control-Allow-Credentials: true``, as credentialed requests need.
* Every response to a request carrying ``Origin`` gets ``Vary: Origin``.
* Preflights (``OPTIONS`` + ``Origin`` + ``Access-Control-Request-Method``)
  are answered here: 200 for an allowed origin, method and headers, 400
  otherwise, without ``Access-Control-Allow-Origin``.
"""

from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class CredentialedCORSMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        allow_origins: Iterable[str],
        allow_methods: Iterable[str],
        allow_headers: Iterable[str],
        expose_headers: Iterable[str],
        max_age: int = 600,
    ) -> None:
        self.app = app
        self.allow_origins = frozenset(allow_origins)
        self.allow_methods = tuple(m.upper() for m in allow_methods)
        self.allow_headers = tuple(allow_headers)
        self._allow_headers_lower = frozenset(h.lower() for h in self.allow_headers)
        self.expose_headers = ", ".join(expose_headers)
        self.max_age = max_age

    def is_allowed_origin(self, origin: str | None) -> bool:
        return origin is not None and origin in self.allow_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_headers = Headers(scope=scope)
        origin = request_headers.get("origin")

        if (
            origin is not None
            and scope["method"] == "OPTIONS"
            and "access-control-request-method" in request_headers
        ):
            response = self._preflight(origin, request_headers)
            await response(scope, receive, send)
            return

        if origin is None:
            await self.app(scope, receive, send)
            return

        allowed = self.is_allowed_origin(origin)

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if allowed:
                    headers["Access-Control-Allow-Origin"] = origin
                    headers["Access-Control-Allow-Credentials"] = "true"
                    headers["Access-Control-Expose-Headers"] = self.expose_headers
                else:
                    # Never leak a permissive header to another origin.
                    for name in (
                        "Access-Control-Allow-Origin",
                        "Access-Control-Allow-Credentials",
                    ):
                        if name in headers:
                            del headers[name]
                headers.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _preflight(self, origin: str, request_headers: Headers) -> Response:
        vary = (
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
        )
        if not self.is_allowed_origin(origin):
            return PlainTextResponse(
                "Disallowed CORS origin", status_code=400, headers={"Vary": vary}
            )

        requested_method = request_headers["access-control-request-method"].strip()
        requested_headers = [
            h.strip().lower()
            for h in request_headers.get("access-control-request-headers", "").split(",")
            if h.strip()
        ]
        problems = []
        if requested_method.upper() not in self.allow_methods:
            problems.append("method")
        if any(h not in self._allow_headers_lower for h in requested_headers):
            problems.append("headers")
        if problems:
            return PlainTextResponse(
                "Disallowed CORS " + ", ".join(problems),
                status_code=400,
                headers={"Vary": vary},
            )

        return PlainTextResponse(
            "OK",
            status_code=200,
            headers={
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Credentials": "true",
                "Access-Control-Allow-Methods": ", ".join(self.allow_methods),
                "Access-Control-Allow-Headers": ", ".join(self.allow_headers),
                "Access-Control-Max-Age": str(self.max_age),
                "Vary": vary,
            },
        )
