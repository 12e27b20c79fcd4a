"""The Messages API's streaming format (server-sent events), both ways.

The proxy streams from the API, builds the whole message from the events, keeps it (cache,
log) and only then answers the CLI, as a stream or as JSON, whichever the CLI asked for. So
what the CLI receives is exactly what was kept, and a stream cut half-way never reaches it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any


class IncompleteStream(Exception):
    """The event stream ended before ``message_stop`` (a dropped connection, say)."""


class StreamError(Exception):
    """An ``error`` event in the stream (the API overloaded mid-way, say)."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(f"{error_type}: {message}")
        self.error_type = error_type


def parse_events(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """The JSON payloads of an SSE stream, given its lines (without line ends)."""
    data: list[str] = []
    for line in lines:
        if line == "":
            if data:
                yield json.loads("\n".join(data))
                data = []
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))
    if data:
        yield json.loads("\n".join(data))


def accumulate(events: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The message a stream of events describes; raises when the stream is cut short."""
    message: dict[str, Any] | None = None
    partial: dict[int, str] = {}
    for event in events:
        kind = event.get("type")
        if kind == "error":
            error = event.get("error") or {}
            raise StreamError(str(error.get("type", "error")), str(error.get("message", "")))
        if kind == "message_start":
            message = dict(event["message"])
            message["content"] = []
            continue
        if message is None:
            continue  # ping before message_start
        content: list[dict[str, Any]] = message["content"]
        if kind == "content_block_start":
            index = int(event["index"])
            while len(content) <= index:
                content.append({})
            content[index] = dict(event["content_block"])
            if content[index].get("type") in ("tool_use", "server_tool_use"):
                partial[index] = ""
        elif kind == "content_block_delta":
            block = content[int(event["index"])]
            delta = event.get("delta") or {}
            _apply_delta(block, delta, partial, int(event["index"]))
        elif kind == "content_block_stop":
            index = int(event["index"])
            if index in partial:
                content[index]["input"] = _tool_input(partial.pop(index))
        elif kind == "message_delta":
            for key, value in (event.get("delta") or {}).items():
                message[key] = value
            usage = dict(message.get("usage") or {})
            usage.update({k: v for k, v in (event.get("usage") or {}).items() if v is not None})
            message["usage"] = usage
        elif kind == "message_stop":
            return message
    raise IncompleteStream("the event stream ended before message_stop")


def _tool_input(text: str) -> Any:
    """A tool input as the model streamed it; text that is not JSON is kept, not fatal (the
    agent's loop answers it with a tool error)."""
    if not text:
        return {}
    try:
        return json.loads(text)
    except ValueError:
        return {"_unparsed_input": text}


def _apply_delta(
    block: dict[str, Any], delta: dict[str, Any], partial: dict[int, str], index: int
) -> None:
    kind = delta.get("type")
    if kind == "text_delta":
        block["text"] = block.get("text", "") + delta.get("text", "")
    elif kind == "input_json_delta":
        partial[index] = partial.get(index, "") + delta.get("partial_json", "")
    elif kind == "thinking_delta":
        block["thinking"] = block.get("thinking", "") + delta.get("thinking", "")
    elif kind == "signature_delta":
        block["signature"] = delta.get("signature", "")
    elif kind == "citations_delta":
        block.setdefault("citations", []).append(delta.get("citation"))


def encode(message: dict[str, Any]) -> bytes:
    """A complete message as the event stream the API would have sent for it."""
    out: list[str] = []

    def event(kind: str, payload: dict[str, Any]) -> None:
        out.append(f"event: {kind}\ndata: {json.dumps({'type': kind, **payload})}\n\n")

    usage = dict(message.get("usage") or {})
    start = {**message, "content": [], "stop_reason": None, "stop_sequence": None}
    start["usage"] = {**usage, "output_tokens": min(usage.get("output_tokens", 0), 1)}
    event("message_start", {"message": start})
    for index, block in enumerate(message.get("content") or []):
        kind = block.get("type")
        if kind == "text":
            empty = {k: v for k, v in block.items() if k != "text"} | {"text": ""}
            event("content_block_start", {"index": index, "content_block": empty})
            delta = {"type": "text_delta", "text": block.get("text", "")}
            event("content_block_delta", {"index": index, "delta": delta})
        elif kind in ("tool_use", "server_tool_use"):
            empty = {k: v for k, v in block.items() if k != "input"} | {"input": {}}
            event("content_block_start", {"index": index, "content_block": empty})
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block.get("input"))}
            event("content_block_delta", {"index": index, "delta": delta})
        elif kind == "thinking":
            empty = {"type": "thinking", "thinking": "", "signature": ""}
            event("content_block_start", {"index": index, "content_block": empty})
            if block.get("thinking"):
                delta = {"type": "thinking_delta", "thinking": block["thinking"]}
                event("content_block_delta", {"index": index, "delta": delta})
            delta = {"type": "signature_delta", "signature": block.get("signature", "")}
            event("content_block_delta", {"index": index, "delta": delta})
        else:  # redacted thinking and anything else arrive whole
            event("content_block_start", {"index": index, "content_block": block})
        event("content_block_stop", {"index": index})
    event(
        "message_delta",
        {
            "delta": {
                "stop_reason": message.get("stop_reason"),
                "stop_sequence": message.get("stop_sequence"),
            },
            "usage": usage,
        },
    )
    event("message_stop", {})
    return "".join(out).encode("utf-8")
