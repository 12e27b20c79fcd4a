"""The harness-side proxy: the sandboxed Claude Code's only way out.

One per sample, on a unix socket bound into the sample's sandbox (the sandbox has no network).
It speaks just enough HTTP/1.1 for the CLI's Messages API calls and:

- answers the parent's requests itself (:mod:`.parent`): no model call, no cost;
- forwards the subagent's to the API with the real key (:mod:`.upstream`), one at a time per
  sample, after checking the run's cost limit, the turn limit and that the model has a price;
  anything else is refused with a 400 that names the reason, and the sample stops there;
- serves an unchanged request from the response cache (:mod:`.cache`), and writes every paid
  reply there, fsynced, before the CLI sees it;
- logs every exchange (:mod:`.exchanges`).

The model's Bash runs beside the CLI and can reach this socket too: whatever it sends is
bound by the same checks, so it can neither spend past the limit nor reach any other host.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals import models
from evals.errors import UsageError
from evals.ledger import FATAL_STATUS
from evals.providers.claude_code import parent, wire
from evals.providers.claude_code.cache import RelayCache, RelayEntry, now_iso, relay_key
from evals.providers.claude_code.exchanges import Exchange, ExchangeLog, usage_of
from evals.providers.claude_code.upstream import Upstream, UpstreamError
from evals.records import Usage

if TYPE_CHECKING:
    from evals.solve import Budget

AGENT_ID_HEADER = "x-claude-code-agent-id"
MESSAGES_PATH = "/v1/messages"
MAX_BODY_BYTES = 64 * 1024 * 1024
NESTED_TURNS_FACTOR = 3
"""All the subagents of a sample together (the one under test and any it starts) may make
this many times its own turn limit in calls."""


@dataclass
class RelayStats:
    """What this process spent through Claude Code (the end-of-run line)."""

    api_calls: int = 0
    cache_hits: int = 0
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0


@dataclass
class Relay:
    """What the samples of a run share: the API connection, the cache, the budget."""

    upstream: Upstream
    cache: RelayCache
    read_cache: bool
    engine: str
    stats: RelayStats = field(default_factory=RelayStats)


class SampleProxy:
    """The proxy of one sample (one CLI session)."""

    def __init__(
        self,
        relay: Relay,
        *,
        sample_index: int,
        agent_name: str,
        task: str,
        max_turns: int,
        budget: Budget,
        log: ExchangeLog,
        label: str = "",
    ) -> None:
        self.relay = relay
        self.sample_index = sample_index
        self.agent_name = agent_name
        self.task = task
        self.max_turns = max_turns
        self.budget = budget
        self.log = log
        self.label = label
        """The sample as the progress view names it."""
        self.stop: str | None = None
        """Why the harness stopped the sample (cost_limit | max_turns | error), if it did."""
        self.error: str | None = None
        self.on_stop: Callable[[], None] = lambda: None
        """Called once the sample is stopped (ends the CLI)."""
        self._turns: Counter[str] = Counter()
        self._one_call = asyncio.Lock()
        self._server: asyncio.AbstractServer | None = None
        self._n = 0

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self, path: Path) -> None:
        self._server = await asyncio.start_unix_server(self._connection, path=str(path))

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), timeout=5)
            self._server = None

    # --- HTTP ---------------------------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    break
                method, target, headers, body = request
                status, ctype, payload = await self._route(method, target, headers, body)
                head = (
                    f"HTTP/1.1 {status} {'OK' if status < 400 else 'Error'}\r\n"
                    f"content-type: {ctype}\r\ncontent-length: {len(payload)}\r\n"
                    "request-id: req_evals_proxy\r\n\r\n"
                )
                writer.write(head.encode("latin-1") + payload)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError, UnicodeDecodeError):
            pass
        finally:
            writer.close()

    async def _route(
        self, method: str, target: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, str, bytes]:
        path = target.split("?")[0]
        if method != "POST" or path != MESSAGES_PATH:
            return _error(404, "not_found_error", f"evals proxy: only POST {MESSAGES_PATH}")
        try:
            body = json.loads(raw)
            if not isinstance(body, dict):
                raise ValueError("not an object")
        except ValueError as exc:
            return _error(400, "invalid_request_error", f"evals proxy: bad JSON body: {exc}")
        self._n += 1
        agent_id = headers.get(AGENT_ID_HEADER, "")
        if not agent_id:
            message = parent.reply(body, agent_name=self.agent_name, task=self.task, number=self._n)
            self.log.append(
                Exchange(n=self._n, at=now_iso(), side="parent", request=body, reply=message)
            )
            return _answer(body, message)
        async with self._one_call:
            return await self._subagent(target, headers, body, agent_id)

    # --- the subagent -------------------------------------------------------------------------

    async def _subagent(
        self, target: str, headers: dict[str, str], body: dict[str, Any], agent_id: str
    ) -> tuple[int, str, bytes]:
        exchange = Exchange(
            n=self._n, at=now_iso(), side="subagent", agent_id=agent_id, request=body
        )
        refusal = self._refusal(body, agent_id)
        if refusal is not None:
            return self._refuse(exchange, *refusal)
        self._turns[agent_id] += 1
        model = str(body["model"])
        key = relay_key(body, self.sample_index)
        entry = self.relay.cache.get(key) if self.relay.read_cache else None
        if entry is not None:
            self.relay.stats.cache_hits += 1
            self.budget.reuse(entry.cost_usd)
            exchange.reply, exchange.cached, exchange.usage = entry.message, True, entry.usage
        else:
            self.budget.sent(key)
            try:
                answer = await self.relay.upstream.send(
                    target, headers, body, on_retry=self.budget.retry
                )
            except UpstreamError as exc:
                self.budget.answered(key)  # an error answer is not billed
                exchange.attempts = self.relay.upstream.max_retries + 1
                if exc.status in FATAL_STATUS:
                    self.budget.fail(str(exc))
                return self._fail(exchange, exc)
            usage = usage_of(answer.message)
            cost = round(models.cost_usd(model, usage), 8)
            entry = RelayEntry(
                key=key, engine=self.relay.engine, model=model, sample=self.sample_index,
                message=answer.message, usage=usage, cost_usd=cost, created_at=now_iso(),
            )  # fmt: skip
            # Durable before the CLI (or anyone) sees it: a resume never pays for it again.
            await asyncio.to_thread(self.relay.cache.put, entry)
            self.budget.answered(key)
            await self.budget.add(cost)
            stats = self.relay.stats
            stats.api_calls += 1
            stats.usage = stats.usage + usage
            stats.cost_usd += cost
            exchange.reply, exchange.usage, exchange.cost_usd = answer.message, usage, cost
            exchange.attempts, exchange.latency_s = answer.attempts, round(answer.latency_s, 3)
        exchange.at = now_iso()
        self.log.append(exchange)
        content = (exchange.reply or {}).get("content") or []
        tools = [str(b.get("name")) for b in content if isinstance(b, dict)
                 and b.get("type") == "tool_use"]  # fmt: skip
        self.budget.turn(self.label, self._turns[agent_id], exchange.usage, tools, exchange.cached)
        return _answer(body, exchange.reply or {})

    def _refusal(self, body: dict[str, Any], agent_id: str) -> tuple[str, str] | None:
        """(stop reason, message) when this request must not reach the API."""
        if self.stop is not None:
            return self.stop, f"evals: the sample was already stopped ({self.stop})"
        if self.budget.fatal is not None:
            return "fatal", f"evals: the run stopped: {self.budget.fatal}"
        if self.budget.exhausted():
            return "cost_limit", (
                f"evals: the run's cost limit (${self.budget.limit_usd:.2f}) is spent; "
                "resume the run with a higher --max-cost"
            )
        if self._turns[agent_id] >= self.max_turns:
            return "max_turns", f"evals: the subagent used its {self.max_turns} turns"
        if sum(self._turns.values()) >= self.max_turns * NESTED_TURNS_FACTOR:
            return "max_turns", (
                f"evals: the sample's subagents used {NESTED_TURNS_FACTOR} x "
                f"{self.max_turns} turns together"
            )
        model = body.get("model")
        try:
            models.price_for(str(model))
        except UsageError:
            return "error", f"evals: no price for model {model!r}, so no cost limit: refused"
        return None

    def _refuse(self, exchange: Exchange, reason: str, message: str) -> tuple[int, str, bytes]:
        already = self.stop is not None
        exchange.status, exchange.error = 400, message
        self.log.append(exchange)
        if not already:
            self.stop = reason
            self.error = message if reason in ("error", "fatal") else None
            self.on_stop()
        return _error(400, "invalid_request_error", message)

    def _fail(self, exchange: Exchange, exc: UpstreamError) -> tuple[int, str, bytes]:
        exchange.status, exchange.error = exc.status or 502, str(exc)
        self.log.append(exchange)
        if self.stop is None:
            # "fatal": left unfinished for --resume (the run ends with the API's message).
            self.stop = "fatal" if exc.status in FATAL_STATUS else "error"
            self.error = str(exc)
            self.on_stop()
        return exc.status or 502, "application/json", json.dumps(exc.body).encode()


def _answer(body: dict[str, Any], message: dict[str, Any]) -> tuple[int, str, bytes]:
    if body.get("stream"):
        return 200, "text/event-stream", wire.encode(message)
    return 200, "application/json", json.dumps(message).encode("utf-8")


def _error(status: int, kind: str, message: str) -> tuple[int, str, bytes]:
    payload = {"type": "error", "error": {"type": kind, "message": message}}
    return status, "application/json", json.dumps(payload).encode("utf-8")


async def _read_request(
    reader: asyncio.StreamReader,
) -> tuple[str, str, dict[str, str], bytes] | None:
    line = await reader.readline()
    if not line.strip():
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = b""
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                await reader.readline()
                break
            body += await reader.readexactly(size)
            await reader.readline()
            if len(body) > MAX_BODY_BYTES:
                raise ValueError("request body too large")
        return method, target, headers, body
    length = int(headers.get("content-length") or 0)
    if length > MAX_BODY_BYTES:
        raise ValueError("request body too large")
    return method, target, headers, await reader.readexactly(length) if length else b""
