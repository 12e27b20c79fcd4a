"""The real agent: the Anthropic Messages API through the official ``anthropic`` SDK.

One request per agent turn, shaped as Claude Code sends them: the agent file's body is the
system prompt, the Claude-Code-like tools are offered as client tools. The stable prefix
(tools + system prompt) carries a ``cache_control`` breakpoint, and so does the end of the
conversation, so every call after the first reads its prefix from the prompt cache.

Retries of 429 / 529 / 5xx (honouring ``retry-after``) are the SDK's own; a call that still
fails ends its sample as an infra error. Every reply goes to the response cache, fsynced,
before the loop sees it, so a resume or re-run never pays twice. With ``--batch`` the turns of
all active samples go out together as Message Batches (:mod:`evals.providers.batch`).

The SDK reads ``ANTHROPIC_API_KEY`` and ``ANTHROPIC_BASE_URL`` itself; nothing here overrides
them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from evals import models
from evals.errors import FatalProviderError, ProviderError, UsageError
from evals.ledger import FATAL_STATUS
from evals.providers.base import Provider, SampleSpec
from evals.providers.claude_code.wire import IncompleteStream, StreamError, accumulate
from evals.records import Block, ModelReply, ModelRequest, ToolUseBlock, Usage
from evals.response_cache import ResponseCache, request_key
from evals.score import LOW_CACHE_HIT_RATE

if TYPE_CHECKING:
    import anthropic

    from evals.agent import AgentFile
    from evals.config import RunOptions
    from evals.providers.batch import BatchDispatcher

DEFAULT_MAX_RETRIES = 6
"""SDK retries per call: 0.5 s doubling to 8 s, or what ``retry-after`` asks (~25 s in all)."""
DEFAULT_TIMEOUT_S = 600.0
BATCH_WALL_TIME_S = 26 * 3600.0
"""A batch may take up to 24 h to end: in batch mode a sample's wall time covers that."""
_BLOCK = TypeAdapter(Block)
_CACHEABLE_LAST = ("text", "tool_result", "tool_use")


@dataclass
class CallStats:
    """What this process spent, for the end-of-run line and the low-hit-rate warning."""

    api_calls: int = 0
    cache_hits: int = 0
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0

    def add(self, reply: ModelReply) -> None:
        self.api_calls += 1
        self.usage = self.usage + reply.usage
        self.cost_usd += reply.cost_usd

    @property
    def hit_rate(self) -> float | None:
        u = self.usage
        prompt = u.input_tokens + u.cache_read_tokens + u.cache_write_tokens
        return u.cache_read_tokens / prompt if prompt else None


class AnthropicProvider(Provider):
    name = "anthropic"

    def __init__(
        self,
        model: str,
        *,
        cache: ResponseCache | None = None,
        read_cache: bool = True,
        batch: bool = False,
        max_retries: int = DEFAULT_MAX_RETRIES,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        quiet: bool = False,
    ) -> None:
        self.model = model
        self.cache = cache or ResponseCache()
        self.read_cache = read_cache
        self.batch = batch
        self.max_retries = max_retries
        self.timeout_s = timeout_s
        self.quiet = quiet
        self.stats = CallStats()
        self._client: anthropic.AsyncAnthropic | None = None
        self._dispatcher: BatchDispatcher | None = None

    @classmethod
    def create(cls, options: RunOptions, agent: AgentFile) -> AnthropicProvider:
        if not any(
            os.environ.get(v)
            for v in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_PROFILE")
        ):
            raise UsageError(
                "provider 'anthropic' needs ANTHROPIC_API_KEY (or use --provider reference)"
            )
        model = models.resolve(options.model or agent.model)
        models.price_for(model)  # no price, no cost limit: refuse before spending
        return cls(
            model,
            read_cache=not options.no_cache,
            batch=options.batch,
            max_retries=int(os.environ.get("EVALS_MAX_RETRIES", DEFAULT_MAX_RETRIES)),
            quiet=options.quiet,
        )

    def model_for(self, agent: AgentFile, options: RunOptions) -> str:
        return self.model

    def wall_time_s(self, requested: float) -> float:
        # Queueing in a batch is not the agent being slow.
        return max(requested, BATCH_WALL_TIME_S) if self.batch else requested

    # --- one turn ---------------------------------------------------------------------------

    async def complete(self, request: ModelRequest, sample: SampleSpec) -> ModelReply:
        key = request_key(request, sample.index)
        if self.batch:
            await self._batches().ready()
        if self.read_cache:
            entry = self.cache.get(key)
            if entry is not None:
                self.stats.cache_hits += 1
                if self.ledger is not None:
                    self.ledger.reuse(entry.reply.cost_usd)
                # Free this time: no call was made, so the budget is not charged again.
                return entry.reply.model_copy(
                    update={"cost_usd": 0.0, "latency_s": 0.0, "cached": True}
                )
        if self.batch:
            reply = await self._batches().submit(key, request, sample.index)
        else:
            if self.ledger is not None:
                self.ledger.sent(key)
            try:
                reply = await self._call(request)
            except ProviderError:
                if self.ledger is not None:
                    self.ledger.answered(key)  # an error answer is not billed
                raise
            # Durable (fsynced) but off the event loop: the other samples keep going meanwhile.
            await asyncio.to_thread(
                self.cache.put, key, model=request.model, sample=sample.index, reply=reply,
                batch=False,
            )  # fmt: skip
            if self.ledger is not None:
                self.ledger.answered(key)
        self.stats.add(reply)
        return reply

    async def _call(self, request: ModelRequest) -> ModelReply:
        import anthropic

        started = time.monotonic()
        try:
            # Streamed, as Claude Code does: a reply may be 128k tokens long. The events are
            # accumulated here: a tool input that is not JSON must reach the loop (which
            # answers it with a tool error), not fail the call.
            stream = await self.client().messages.create(**to_params(request), stream=True)
            message = accumulate(
                [event.model_dump(mode="json", warnings=False) async for event in stream]
            )
        except anthropic.APIStatusError as exc:
            if exc.status_code in FATAL_STATUS:
                raise FatalProviderError(
                    f"Messages API answered {exc.status_code}: {_error_text(exc)}"
                ) from None
            retried = exc.status_code in (408, 409, 429) or exc.status_code >= 500
            after = f" after {self.max_retries} retries" if retried else ""
            raise ProviderError(
                f"Messages API answered {exc.status_code}{after}: {_error_text(exc)}"
            ) from None
        except anthropic.APIConnectionError as exc:
            raise ProviderError(
                f"Messages API unreachable after {self.max_retries} retries: {exc}"
            ) from None
        except (IncompleteStream, StreamError) as exc:
            raise ProviderError(f"the Messages API's stream broke off: {exc}") from None
        return to_reply(message, request.model, latency_s=time.monotonic() - started)

    # --- clients ----------------------------------------------------------------------------

    def client(self) -> anthropic.AsyncAnthropic:
        # Made on first use, inside the run's event loop.
        if self._client is None:
            import anthropic

            self._client = anthropic.AsyncAnthropic(
                max_retries=self.max_retries,
                timeout=self.timeout_s,
                http_client=anthropic.DefaultAsyncHttpxClient(
                    event_hooks={"response": [self._on_response]}
                ),
            )
        return self._client

    async def _on_response(self, response: Any) -> None:
        """Tell the progress view about every answer the SDK will retry, and why."""
        status = response.status_code
        if self.ledger is None or not (status in (408, 409, 429) or status >= 500):
            return
        await response.aread()  # cached by httpx: the SDK reads the same bytes after us
        kind = ""
        with contextlib.suppress(ValueError, KeyError, TypeError):
            kind = str(response.json()["error"]["type"])
        self.ledger.retry(f"{status} {kind}".strip())

    def _batches(self) -> BatchDispatcher:
        if self._dispatcher is None:
            from evals.providers.batch import BatchDispatcher

            self._dispatcher = BatchDispatcher(self.client, self.cache)
        return self._dispatcher

    async def aclose(self) -> None:
        if self._dispatcher is not None:
            await self._dispatcher.aclose()
        if self._client is not None:
            await self._client.close()
            self._client = None
        self._report()

    def _report(self) -> None:
        s = self.stats
        if self.quiet or not (s.api_calls or s.cache_hits):
            return
        rate = s.hit_rate
        line = (
            f"anthropic: {s.api_calls} API call(s), {s.cache_hits} reply(ies) from the response "
            f"cache, ${s.cost_usd:.4f} spent"
        )
        if rate is not None:
            line += f", prompt-cache hit rate {rate:.0%}"
        print(line, file=sys.stderr)
        if rate is not None and s.api_calls >= 3 and rate < LOW_CACHE_HIT_RATE:
            print(
                f"warning: prompt-cache hit rate {rate:.0%} is low: check that the system "
                "prompt and tools are identical across calls",
                file=sys.stderr,
            )


# --- wire format ---------------------------------------------------------------------------


def to_params(request: ModelRequest) -> dict[str, Any]:
    """Messages API parameters for a request, with the prompt-cache breakpoints."""
    messages = [m.model_dump(mode="json") for m in request.messages]
    if messages and messages[-1]["content"]:
        last = messages[-1]["content"][-1]
        if last.get("type") in _CACHEABLE_LAST:
            # Moving breakpoint: the next turn reads this whole conversation from the cache.
            last["cache_control"] = {"type": "ephemeral"}
    params: dict[str, Any] = {
        "model": request.model,
        "max_tokens": request.max_tokens,
        # Breakpoint on the system prompt: tools + system, identical for every call of a
        # run, are written once and read by every later call (across samples and cases).
        "system": [
            {"type": "text", "text": request.system, "cache_control": {"type": "ephemeral"}}
        ],
        "tools": [spec.model_dump(mode="json") for spec in request.tools],
        "messages": messages,
    }
    if request.temperature is not None:
        params["temperature"] = request.temperature
    if request.thinking is not None:
        params["thinking"] = request.thinking
    if request.effort is not None:
        params["output_config"] = {"effort": request.effort}
    return params


def to_reply(message: Any, model: str, *, latency_s: float, batch: bool = False) -> ModelReply:
    """A :class:`ModelReply` from an SDK ``Message`` (or its JSON dict)."""
    data = message if isinstance(message, dict) else message.model_dump(mode="json", warnings=False)
    content = [b for b in (_block(raw) for raw in data.get("content") or []) if b is not None]
    raw_usage = data.get("usage") or {}
    usage = Usage(
        input_tokens=raw_usage.get("input_tokens") or 0,
        output_tokens=raw_usage.get("output_tokens") or 0,
        cache_read_tokens=raw_usage.get("cache_read_input_tokens") or 0,
        cache_write_tokens=raw_usage.get("cache_creation_input_tokens") or 0,
    )
    return ModelReply(
        content=content,
        stop_reason=data.get("stop_reason") or "end_turn",
        usage=usage,
        cost_usd=round(models.cost_usd(model, usage, batch=batch), 8),
        latency_s=round(latency_s, 3),
    )


def _block(raw: dict[str, Any]) -> Block | None:
    kind = raw.get("type")
    if kind == "tool_use":
        given = raw.get("input")
        # The loop answers a bad input with a tool error; it must still be a mapping here.
        tool_input = given if isinstance(given, dict) else {"_unparsed_input": given}
        return ToolUseBlock(id=str(raw.get("id")), name=str(raw.get("name")), input=tool_input)
    if kind not in ("text", "thinking", "redacted_thinking"):
        return None  # server-tool blocks and the like: we offer no such tools
    fields = {
        k: v for k, v in raw.items() if k in ("type", "text", "thinking", "signature", "data")
    }
    try:
        return _BLOCK.validate_python(fields)
    except ValidationError:
        return None


def _error_text(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return f"{error.get('type', 'error')}: {error['message']}"
    return str(getattr(exc, "message", exc))


PROVIDER = AnthropicProvider
