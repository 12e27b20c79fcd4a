"""The proxy's one way out: the real Messages API, with the real key, streamed and retried.

Only the harness holds the key; the sandbox sends a placeholder that is dropped here. The
request body is the CLI's own, sent on unchanged except that it always streams (a reply of
128k tokens must), and the CLI's version and beta headers go along so the API sees what Claude
Code would have sent. 408/409/429/5xx answers, dropped connections, a stream cut half-way and
an overloaded error inside the stream are retried with exponential backoff (0.5 s doubling to
8 s), or after exactly what ``retry-after`` asks.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evals.providers.claude_code.wire import IncompleteStream, StreamError, accumulate, parse_events

if TYPE_CHECKING:
    import httpx

DEFAULT_BASE_URL = "https://api.anthropic.com"
DEFAULT_MAX_RETRIES = 6
FORWARDED_HEADERS = ("anthropic-version", "anthropic-beta", "user-agent", "x-app")
RETRIED_STATUS = (408, 409, 429)


class UpstreamError(Exception):
    """The API could not give a reply, after the retries."""

    def __init__(self, status: int, message: str, body: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body or {
            "type": "error",
            "error": {"type": "api_error", "message": message},
        }


@dataclass
class Answer:
    message: dict[str, Any]
    attempts: int
    latency_s: float


def credentials() -> dict[str, str] | None:
    """The harness's own API credentials as request headers (never passed to a sandbox)."""
    if key := os.environ.get("ANTHROPIC_API_KEY"):
        return {"x-api-key": key}
    if token := os.environ.get("ANTHROPIC_AUTH_TOKEN"):
        return {"authorization": f"Bearer {token}"}
    return None


class Upstream:
    def __init__(self, *, max_retries: int = DEFAULT_MAX_RETRIES, timeout_s: float = 600.0):
        self.base_url = (os.environ.get("ANTHROPIC_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.max_retries = max_retries
        self.timeout_s = timeout_s
        self._client: httpx.AsyncClient | None = None

    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx

            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(self.timeout_s, connect=30.0), http2=False
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def send(
        self,
        path: str,
        headers: dict[str, str],
        body: dict[str, Any],
        *,
        on_retry: Callable[[str], None] | None = None,
    ) -> Answer:
        """The complete reply message for ``body``, retried as the SDK would; ``on_retry``
        hears the cause of every failed attempt that is retried."""
        import httpx

        auth = credentials()
        if auth is None:
            raise UpstreamError(401, "the harness has no ANTHROPIC_API_KEY to call the API with")
        sent = {k: v for k, v in headers.items() if k.lower() in FORWARDED_HEADERS}
        sent.update(auth)
        sent["content-type"] = "application/json"
        sent["accept"] = "text/event-stream"
        payload = {**body, "stream": True}
        started = time.monotonic()
        last: UpstreamError | None = None
        for attempt in range(self.max_retries + 1):
            if attempt:
                if on_retry is not None and last is not None:
                    on_retry(_cause(last))
                await asyncio.sleep(_backoff(attempt, last))
            try:
                message = await self._once(path, sent, payload)
            except UpstreamError as exc:
                if not _retried(exc.status):
                    raise
                last = exc
                continue
            except (httpx.TransportError, IncompleteStream) as exc:
                last = UpstreamError(
                    0, f"connection to the API failed: {exc or type(exc).__name__}"
                )
                continue
            except StreamError as exc:
                last = UpstreamError(529 if exc.error_type == "overloaded_error" else 500, str(exc))
                continue
            return Answer(message, attempt + 1, time.monotonic() - started)
        assert last is not None
        retries = f" after {self.max_retries} retries" if self.max_retries else ""
        raise UpstreamError(last.status, f"{last}{retries}", last.body)

    async def _once(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> dict:
        client = self.client()
        async with client.stream(
            "POST", self.base_url + path, headers=headers, json=body
        ) as response:
            if response.status_code >= 400:
                raw = await response.aread()
                raise _error(response.status_code, raw, response.headers.get("retry-after"))
            lines = [line async for line in response.aiter_lines()]
        if "text/event-stream" not in response.headers.get("content-type", ""):
            import json

            return json.loads("\n".join(lines))  # an API that answered JSON anyway
        return accumulate(parse_events(lines))


def _error(status: int, raw: bytes, retry_after: str | None) -> UpstreamError:
    import json

    body: dict[str, Any] | None = None
    text = raw.decode("utf-8", "replace")[:500]
    with contextlib.suppress(ValueError):
        parsed = json.loads(raw)
        if isinstance(parsed, dict):
            body = parsed
            error = parsed.get("error") or {}
            text = f"{error.get('type', 'error')}: {error.get('message', '')}"
    exc = UpstreamError(status, f"Messages API answered {status}: {text}", body)
    exc.retry_after = _seconds(retry_after)  # type: ignore[attr-defined]
    return exc


def _cause(exc: UpstreamError) -> str:
    error = exc.body.get("error") if isinstance(exc.body, dict) else None
    kind = error.get("type", "") if isinstance(error, dict) else ""
    return f"{exc.status} {kind}".strip() if exc.status else "connection failed"


def _retried(status: int) -> bool:
    return status in RETRIED_STATUS or status >= 500


def _seconds(value: str | None) -> float | None:
    try:
        return max(float(value), 0.0) if value else None
    except ValueError:
        return None


def _backoff(attempt: int, last: UpstreamError | None) -> float:
    asked = getattr(last, "retry_after", None)
    if asked is not None and asked <= 60:
        return asked
    return min(0.5 * 2 ** (attempt - 1), 8.0)
