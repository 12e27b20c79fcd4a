"""The response cache: every paid model reply, on disk before it is used.

Content-addressed: the key hashes the whole request (model, parameters, system prompt, tools,
messages) plus the sample index. An unchanged request is free on a re-run, a resumed run or a
plain re-run after a crash; repeats of one case (samples 0..k-1) send identical first
requests but keep separate entries, so they stay independent draws.

The cache is shared across runs (``.cache/responses/`` at the repository root, or
``$EVALS_CACHE_DIR``). Entries are written atomically and fsynced; an unreadable entry is a
miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from evals.config import ROOT
from evals.records import ModelReply, ModelRequest, Record
from evals.store import atomic_write

KEY_VERSION = 1
"""Bump when the meaning of a request changes without its fields changing."""


class CacheEntry(Record):
    """One cached reply (``<key>.json``)."""

    key: str
    model: str
    sample: int
    reply: ModelReply
    """The reply as first received, with the usage and cost of that call."""
    created_at: str
    batch: bool = False
    """Paid through the Message Batches API."""


def default_dir() -> Path:
    override = os.environ.get("EVALS_CACHE_DIR")
    return Path(override) if override else ROOT / ".cache" / "responses"


def request_key(request: ModelRequest, sample_index: int) -> str:
    """sha256 of the canonical JSON of the request and the sample index."""
    payload = {
        "v": KEY_VERSION,
        "sample": sample_index,
        "request": request.model_dump(mode="json"),
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResponseCache:
    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_dir()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> CacheEntry | None:
        try:
            entry = CacheEntry.model_validate_json(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValidationError, ValueError):
            return None
        return entry if entry.key == key else None

    def put(self, key: str, *, model: str, sample: int, reply: ModelReply, batch: bool) -> None:
        """Write one entry durably: once this returns, the reply survives a crash."""
        entry = CacheEntry(
            key=key,
            model=model,
            sample=sample,
            reply=reply,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            batch=batch,
        )
        # A paid reply we cannot keep must not be used: a resume would pay for it again.
        atomic_write(self.path(key), entry.model_dump_json(), what="the response cache")
