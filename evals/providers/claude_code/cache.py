"""The response cache for Claude Code's requests: raw replies, relayed byte for byte.

Same folder and guarantees as :mod:`evals.response_cache` (written and fsynced before the
CLI sees the reply; an unreadable entry is a miss), but an entry holds the API's message as
it came, since the CLI must get back exactly what it would have got. The key is the request
body without what changes from one CLI session to the next (``metadata``: device and session
ids) and without ``stream`` (the CLI re-asks without streaming after a failed stream: the
same question), plus the sample index, so samples 0..k-1 stay independent draws.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from evals.records import Record, Usage
from evals.response_cache import ResponseCache
from evals.store import atomic_write

KEY_VERSION = 1
VOLATILE = ("metadata", "stream")
"""Request fields left out of the key: per-session ids, and the transport."""


class RelayEntry(Record):
    """One cached reply to a Claude Code request (``<key>.json``)."""

    key: str
    engine: str
    """``claude-code <version>``: the CLI that asked."""
    model: str
    sample: int
    message: dict[str, Any]
    """The reply as the API sent it (a complete message, accumulated from its stream)."""
    usage: Usage
    cost_usd: float
    """What the call cost when it was made (a cache hit costs nothing)."""
    created_at: str


def relay_key(body: dict[str, Any], sample_index: int) -> str:
    request = {k: v for k, v in body.items() if k not in VOLATILE}
    payload = {
        "v": KEY_VERSION,
        "engine": "claude-code",
        "sample": sample_index,
        "request": request,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RelayCache:
    def __init__(self, root: Path | None = None) -> None:
        self._paths = ResponseCache(root)

    @property
    def root(self) -> Path:
        return self._paths.root

    def get(self, key: str) -> RelayEntry | None:
        try:
            text = self._paths.path(key).read_text(encoding="utf-8")
            entry = RelayEntry.model_validate_json(text)
        except (OSError, ValidationError, ValueError):
            return None
        return entry if entry.key == key else None

    def put(self, entry: RelayEntry) -> None:
        """Write one entry durably: once this returns, the reply survives a crash."""
        # A paid reply we cannot keep must not be used: a resume would pay for it again.
        atomic_write(
            self._paths.path(entry.key), entry.model_dump_json(), what="the response cache"
        )


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
