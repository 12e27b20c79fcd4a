"""A wire-level fake of the Anthropic Messages API (and its Message Batches endpoints).

Served by the standard library's HTTP server on 127.0.0.1 with an ephemeral port, in a
thread; the real ``anthropic`` SDK talks to it through ``ANTHROPIC_BASE_URL``. It checks
requests the way the API does (roles alternate, every tool_use answered by a tool_result,
at most four cache breakpoints), scripts replies as a function of the request, simulates
prompt caching from the ``cache_control`` breakpoints it is sent, counts tokens with the
harness's offline estimate, and counts every request it answers.

Scripts are functions ``body -> Reply``; :func:`by_turn` plays a list of replies by the
number of assistant turns in the conversation, so samples stay independent of call order.

A request with ``"stream": true`` is answered with server-sent events, as the API does (the
harness's loop and Claude Code both stream); ``cut_streams`` cuts the next streams half-way
(headers and half the events sent, then the connection closed). Claude Code's
mid-conversation ``system`` messages are accepted.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from evals.lint import estimate_tokens


@dataclass
class Reply:
    content: list[dict[str, Any]]
    stop_reason: str = "end_turn"


@dataclass
class Failure:
    status: int
    error_type: str = "api_error"
    message: str = "scripted failure"
    headers: dict[str, str] = field(default_factory=dict)


Script = Callable[[dict[str, Any]], Reply]


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value, "citations": None}


def tool_use(name: str, tool_input: Any, tool_id: str) -> dict[str, Any]:
    return {"type": "tool_use", "id": tool_id, "name": name, "input": tool_input}


def turn_of(body: dict[str, Any]) -> int:
    """How many assistant turns the conversation already has."""
    return sum(m["role"] == "assistant" for m in body["messages"])


def by_turn(replies: list[Reply]) -> Script:
    def script(body: dict[str, Any]) -> Reply:
        turn = turn_of(body)
        return replies[turn] if turn < len(replies) else Reply([text("Done.")])

    return script


def tool_results(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The tool_result blocks of the last user message."""
    return [b for b in body["messages"][-1]["content"] if b.get("type") == "tool_result"]


class FakeMessagesAPI:
    def __init__(
        self,
        script: Script | None = None,
        *,
        batch_polls: int = 1,
        min_cacheable_tokens: int = 512,
        port: int = 0,
    ) -> None:
        self.port = port
        self.script: Script = script or by_turn([])
        self.batch_polls = batch_polls
        self.min_cacheable_tokens = min_cacheable_tokens
        self.failures: deque[Failure] = deque()
        """Answered, in order, to the next POST /v1/messages instead of a reply."""
        self.fail_always: Failure | None = None
        self.hold_after: int | None = None
        """Once this many replies were served, hold (never answer) further message requests."""
        self.held = threading.Event()
        self.release = threading.Event()
        self.served: list[dict[str, Any]] = []
        """Bodies of the message requests answered with a reply (interactive and batch)."""
        self.replies: list[dict[str, Any]] = []
        """The replies to ``served``, in the same order (usage included)."""
        self.attempts = 0
        """POST /v1/messages received, failures and holds included."""
        self.cut_streams = 0
        """How many of the next streamed replies to cut half-way."""
        self.cut = 0
        """Streams cut so far."""
        self.headers_seen: list[dict[str, str]] = []
        """Headers of every POST /v1/messages (lower-cased names)."""
        self.bad_requests: list[str] = []
        self.batches: dict[str, dict[str, Any]] = {}
        self.batch_polls_seen = 0
        self._seen_prefixes: set[str] = set()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeMessagesAPI:
        fake = self

        class Handler(_Handler):
            api = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeMessagesAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what the handler calls -------------------------------------------------------------

    def message(self, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            self.attempts += 1
            failure = self.failures.popleft() if self.failures else self.fail_always
            holding = self.hold_after is not None and len(self.served) >= self.hold_after
            if failure is None and holding:
                self.held.set()
                return (-1, {}, None)
        if failure is not None:
            return _error(failure)
        problem = self.check(body)
        if problem:
            self.bad_requests.append(problem)
            return _error(Failure(400, "invalid_request_error", problem))
        return 200, {}, self.reply_to(body)

    def reply_to(self, body: dict[str, Any]) -> dict[str, Any]:
        reply = self.script(body)
        content = json.loads(json.dumps(reply.content))
        with self._lock:
            usage = self._usage(body, content)
            self.served.append(body)
            number = next(self._ids)
            message = {
                "id": f"msg_fake_{number:05d}",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": content,
                "stop_reason": reply.stop_reason,
                "stop_sequence": None,
                "usage": usage,
            }
            self.replies.append(message)
        return message

    def check(self, body: dict[str, Any]) -> str | None:
        """What the real API would reject in this request, if anything."""
        if not isinstance(body.get("model"), str) or not isinstance(body.get("max_tokens"), int):
            return "model and max_tokens are required"
        # Mid-conversation system messages (Claude Code's environment) sit between turns.
        messages = [m for m in body.get("messages") or [] if m.get("role") != "system"]
        if not messages or messages[0]["role"] != "user" or messages[-1]["role"] != "user":
            return "messages must start and end with a user turn"
        for previous, current in itertools.pairwise(messages):
            if previous["role"] == current["role"]:
                return "roles must alternate"
            if previous["role"] == "assistant":
                asked = {b["id"] for b in previous["content"] if b["type"] == "tool_use"}
                answered = {
                    b["tool_use_id"] for b in current["content"] if b["type"] == "tool_result"
                }
                if asked != answered:
                    return f"tool_use ids {sorted(asked)} without matching tool_result blocks"
        for tool in body.get("tools") or []:
            if not {"name", "description", "input_schema"} <= tool.keys():
                return f"malformed tool {tool.get('name')!r}"
        if _count_breakpoints(body) > 4:
            return "at most 4 blocks may have cache_control"
        return None

    def create_batch(self, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        requests = body.get("requests") or []
        ids = [r.get("custom_id") for r in requests]
        if not requests or len(set(ids)) != len(ids):
            return _error(Failure(400, "invalid_request_error", "custom_id must be unique"))
        for r in requests:
            problem = self.check(r["params"])
            if problem:
                self.bad_requests.append(problem)
                return _error(Failure(400, "invalid_request_error", problem))
        with self._lock:
            batch_id = f"msgbatch_fake_{next(self._ids):05d}"
            self.batches[batch_id] = {
                "requests": requests,
                "polls_left": self.batch_polls,
                "results": None,
                "created": datetime.now(UTC),
            }
        return 200, {}, self._batch_json(batch_id)

    def retrieve_batch(self, batch_id: str) -> tuple[int, dict[str, str], Any]:
        batch = self.batches.get(batch_id)
        if batch is None:
            return _error(Failure(404, "not_found_error", f"no batch {batch_id}"))
        with self._lock:
            self.batch_polls_seen += 1
            if batch["polls_left"] > 0:
                batch["polls_left"] -= 1
        if batch["polls_left"] == 0 and batch["results"] is None:
            batch["results"] = [
                {
                    "custom_id": r["custom_id"],
                    "result": {"type": "succeeded", "message": self.reply_to(r["params"])},
                }
                for r in batch["requests"]
            ]
        return 200, {}, self._batch_json(batch_id)

    def batch_results(self, batch_id: str) -> tuple[int, dict[str, str], Any]:
        batch = self.batches.get(batch_id)
        if batch is None or batch["results"] is None:
            return _error(Failure(404, "not_found_error", "results are not ready"))
        lines = "".join(json.dumps(r) + "\n" for r in reversed(batch["results"]))
        return 200, {"content-type": "application/binary"}, lines.encode()

    # --- helpers --------------------------------------------------------------------------

    def _batch_json(self, batch_id: str) -> dict[str, Any]:
        batch = self.batches[batch_id]
        ended = batch["results"] is not None
        count = len(batch["requests"])
        created = batch["created"]
        return {
            "id": batch_id,
            "type": "message_batch",
            "processing_status": "ended" if ended else "in_progress",
            "request_counts": {
                "processing": 0 if ended else count,
                "succeeded": count if ended else 0,
                "errored": 0,
                "canceled": 0,
                "expired": 0,
            },
            "created_at": created.isoformat(),
            "expires_at": (created + timedelta(hours=24)).isoformat(),
            "ended_at": datetime.now(UTC).isoformat() if ended else None,
            "archived_at": None,
            "cancel_initiated_at": None,
            "results_url": f"{self.url}/v1/messages/batches/{batch_id}/results" if ended else None,
        }

    def _usage(self, body: dict[str, Any], content: list[dict[str, Any]]) -> dict[str, int]:
        """Token counts, with prompt caching simulated from the request's breakpoints."""
        digest = hashlib.sha256()
        total = 0
        # Every block boundary up to the last breakpoint can hit (the API looks back from a
        # breakpoint for the longest cached prefix); only breakpoints are written.
        boundaries: list[tuple[str, int, bool]] = []
        for piece in _prompt_pieces(body):
            marked = isinstance(piece, dict) and "cache_control" in piece
            bare = {k: v for k, v in piece.items() if k != "cache_control"} if marked else piece
            encoded = json.dumps(bare, sort_keys=True)
            digest.update(encoded.encode())
            total += estimate_tokens(encoded)
            boundaries.append((digest.hexdigest(), total, marked))
        marks = [i for i, (_, t, marked) in enumerate(boundaries) if marked]
        last = marks[-1] if marks else -1
        cacheable = boundaries[: last + 1]
        read = max((t for h, t, _ in cacheable if h in self._seen_prefixes), default=0)
        written = cacheable[-1][1] if cacheable else 0
        write = written - read if written >= self.min_cacheable_tokens else 0
        self._seen_prefixes.update(
            h for h, t, marked in cacheable if marked and t >= self.min_cacheable_tokens
        )
        return {
            "input_tokens": total - read - write,
            "output_tokens": estimate_tokens(json.dumps(content)),
            "cache_read_input_tokens": read,
            "cache_creation_input_tokens": write,
        }


def _prompt_pieces(body: dict[str, Any]) -> list[Any]:
    """The prompt in cache order: tools, then system, then message blocks."""
    pieces: list[Any] = [dict(t) for t in body.get("tools") or []]
    system = body.get("system")
    pieces += [system] if isinstance(system, str) else list(system or [])
    for message in body["messages"]:
        content = message["content"]
        pieces += [{"role": message["role"], "text": content}] if isinstance(content, str) else []
        pieces += content if isinstance(content, list) else []
    return pieces


def sse_events(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The events the API streams for ``message``: text and tool input in several deltas."""
    usage = dict(message["usage"])
    start = {**message, "content": [], "stop_reason": None, "stop_sequence": None}
    start["usage"] = {**usage, "output_tokens": 1}
    events: list[dict[str, Any]] = [
        {"type": "message_start", "message": start},
        {"type": "ping"},
    ]
    for index, block in enumerate(message["content"]):
        if block["type"] == "text":
            first = {**block, "text": ""}
            pieces = _halves(block["text"])
            deltas = [{"type": "text_delta", "text": p} for p in pieces]
        elif block["type"] == "tool_use":
            first = {**block, "input": {}}
            pieces = _halves(json.dumps(block["input"]))
            deltas = [{"type": "input_json_delta", "partial_json": p} for p in pieces]
        elif block["type"] == "thinking":
            first = {"type": "thinking", "thinking": "", "signature": ""}
            deltas = [{"type": "thinking_delta", "thinking": p} for p in _halves(block["thinking"])]
            deltas.append({"type": "signature_delta", "signature": block.get("signature", "")})
        else:
            first, deltas = block, []
        events.append({"type": "content_block_start", "index": index, "content_block": first})
        events += [{"type": "content_block_delta", "index": index, "delta": d} for d in deltas]
        events.append({"type": "content_block_stop", "index": index})
    events.append(
        {
            "type": "message_delta",
            "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
            "usage": {"output_tokens": usage["output_tokens"]},
        }
    )
    events.append({"type": "message_stop"})
    return events


def _halves(text: str) -> list[str]:
    middle = len(text) // 2
    return [p for p in (text[:middle], text[middle:]) if p]


def _count_breakpoints(body: dict[str, Any]) -> int:
    return sum(isinstance(p, dict) and "cache_control" in p for p in _prompt_pieces(body))


def _error(failure: Failure) -> tuple[int, dict[str, str], Any]:
    body = {"type": "error", "error": {"type": failure.error_type, "message": failure.message}}
    return failure.status, failure.headers, body


class _Handler(BaseHTTPRequestHandler):
    api: FakeMessagesAPI
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle's algorithm on, the body waits for the
    # client's delayed ACK (~40 ms on Linux) on every reply, a stall no real server has.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        path = self.path.split("?")[0]
        if not (self.headers.get("x-api-key") or self.headers.get("authorization")):
            self._send(*_error(Failure(401, "authentication_error", "no credentials")))
        elif path == "/v1/messages":
            with self.api._lock:
                self.api.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
            status, headers, payload = self.api.message(body)
            if status == 200 and body.get("stream"):
                self._stream(payload)
            else:
                self._send(status, headers, payload)
        elif path == "/v1/messages/batches":
            self._send(*self.api.create_batch(body))
        else:
            self._send(*_error(Failure(404, "not_found_error", path)))

    def do_GET(self) -> None:
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts[:3] == ["v1", "messages", "batches"] and len(parts) == 4:
            self._send(*self.api.retrieve_batch(parts[3]))
        elif parts[:3] == ["v1", "messages", "batches"] and parts[4:] == ["results"]:
            self._send(*self.api.batch_results(parts[3]))
        else:
            self._send(*_error(Failure(404, "not_found_error", self.path)))

    def _stream(self, message: dict[str, Any]) -> None:
        events = sse_events(message)
        with self.api._lock:
            cut = self.api.cut_streams > 0
            if cut:
                self.api.cut_streams -= 1
                self.api.cut += 1
        if cut:
            events = events[: len(events) // 2]
        data = "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events).encode()
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("request-id", "req_fake")
        if cut:
            self.send_header("content-length", str(len(data) * 2))  # promised, never sent
        else:
            self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        if cut:
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)

    def _send(self, status: int, headers: dict[str, str], payload: Any) -> None:
        if status < 0:
            # Held: the caller is expected to die waiting; never answer.
            self.api.release.wait(timeout=60)
            self.close_connection = True
            return
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = dict(headers)
        self.send_response(status)
        self.send_header("content-type", headers.pop("content-type", "application/json"))
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", "req_fake")
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
