"""The proxy's log of every request Claude Code sent and what it got back: the record of a
``claude-code`` sample, and where its transcript is read from.

``claude-code/exchanges.jsonl`` in the sample's folder, one :class:`Exchange` per line,
flushed and fsynced as each request is answered. The transcript (``transcript.json``, the
same record as the harness's own loop writes, so the report, replay and accounting read both
alike) is the subagent's last request with the reply to it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from evals.records import (
    Block,
    Message,
    Record,
    TextBlock,
    ToolResultBlock,
    ToolUseBlock,
    Transcript,
    Turn,
    Usage,
)

_BLOCK: TypeAdapter[Any] = TypeAdapter(Block)
LOG_NAME = "exchanges.jsonl"


class Exchange(Record):
    """One request from the CLI and the proxy's answer."""

    n: int
    """Order of arrival within the sample, from 1."""
    at: str
    """When the answer was sent (UTC, ISO 8601)."""
    side: Literal["parent", "subagent"]
    """``parent``: Claude Code's main thread, answered by the harness's script for free;
    ``subagent``: the agent under test (or one it started), answered by the model."""
    agent_id: str = ""
    """Claude Code's id of the subagent (its ``x-claude-code-agent-id`` header)."""
    request: dict[str, Any]
    """The request body as the CLI sent it."""
    status: int = 200
    """The HTTP status the CLI got."""
    reply: dict[str, Any] | None = None
    """The message the CLI got (None when it got an error)."""
    error: str | None = None
    """Why the request was refused or failed (a stop reason of the harness, or the API's)."""
    cached: bool = False
    """Served from the response cache: no API call was made."""
    attempts: int = 0
    """API calls made for it (retries included); 0 for the parent, a refusal or a cache hit."""
    usage: Usage = Usage()
    cost_usd: float = 0.0
    latency_s: float = 0.0


class ExchangeLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: list[Exchange] = []

    def append(self, exchange: Exchange) -> None:
        self.entries.append(exchange)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(exchange.model_dump_json() + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    @staticmethod
    def read(path: Path) -> list[Exchange]:
        """Every complete line (a crash can tear only the last one)."""
        out = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        for line in lines:
            try:
                out.append(Exchange.model_validate_json(line))
            except ValidationError:
                continue
        return out


# --- the transcript ---------------------------------------------------------------------------


def main_agent(exchanges: list[Exchange]) -> str | None:
    """The subagent the parent started (the first to send a request); nested ones come later."""
    return next((e.agent_id for e in exchanges if e.side == "subagent"), None)


def to_transcript(exchanges: list[Exchange], *, model: str, engine: str) -> Transcript:
    """The agent under test's conversation and every model call's accounting."""
    main = main_agent(exchanges)
    mine = [e for e in exchanges if e.side == "subagent" and e.agent_id == main]
    paid = [e for e in exchanges if e.side == "subagent" and e.reply is not None]
    if not mine:
        return Transcript(system="", model=model, tools=[], messages=[], engine=engine)
    first = mine[0].request
    last = mine[-1]
    messages = [m for m in (_message(raw) for raw in last.request.get("messages") or []) if m]
    if last.reply is not None:
        reply = _message({"role": "assistant", "content": last.reply.get("content") or []})
        if reply is not None:
            messages.append(reply)
    return Transcript(
        system=_system_text(first.get("system")),
        model=str(first.get("model") or model),
        tools=[str(t.get("name")) for t in first.get("tools") or [] if isinstance(t, dict)],
        messages=messages,
        turns=[
            Turn(
                stop_reason=str(e.reply.get("stop_reason") or "end_turn") if e.reply else "",
                usage=e.usage,
                cost_usd=e.cost_usd,
                latency_s=e.latency_s,
                cached=e.cached,
            )
            for e in paid
        ],
        engine=engine,
    )


def usage_of(message: dict[str, Any]) -> Usage:
    raw = message.get("usage") or {}
    return Usage(
        input_tokens=raw.get("input_tokens") or 0,
        output_tokens=raw.get("output_tokens") or 0,
        cache_read_tokens=raw.get("cache_read_input_tokens") or 0,
        cache_write_tokens=raw.get("cache_creation_input_tokens") or 0,
    )


def _system_text(system: Any) -> str:
    if isinstance(system, str):
        return system
    parts = [b.get("text", "") for b in system or [] if isinstance(b, dict)]
    return "\n\n".join(p for p in parts if p)


def _message(raw: dict[str, Any]) -> Message | None:
    role = raw.get("role")
    if role not in ("user", "assistant", "system"):
        return None
    content = raw.get("content")
    if isinstance(content, str):
        blocks: list[Any] = [TextBlock(text=content)]
    else:
        blocks = [b for b in (_block(item) for item in content or []) if b is not None]
    return Message(role=role, content=blocks) if blocks else None


def _block(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return None
    kind = raw.get("type")
    if kind == "tool_result":
        return ToolResultBlock(
            tool_use_id=str(raw.get("tool_use_id")),
            content=_result_text(raw.get("content")),
            is_error=bool(raw.get("is_error")),
        )
    if kind == "tool_use":
        given = raw.get("input")
        return ToolUseBlock(
            id=str(raw.get("id")),
            name=str(raw.get("name")),
            input=given if isinstance(given, dict) else {"_unparsed_input": given},
        )
    if kind == "image":
        return TextBlock(text="[image]")
    fields = {
        k: v for k, v in raw.items() if k in ("type", "text", "thinking", "signature", "data")
    }
    try:
        return _BLOCK.validate_python(fields)
    except ValidationError:
        return None  # server-tool blocks and the like


def _result_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    parts = []
    for item in content or []:
        if isinstance(item, dict) and item.get("type") == "text":
            parts.append(str(item.get("text", "")))
        elif isinstance(item, dict):
            parts.append(f"[{item.get('type', 'block')}]")
    return "\n".join(parts)
