"""What a run spends, as it spends it: the cost cap, the accounting and the live events.

One :class:`Budget` per invocation of ``evals run``, shared by every sample and by both
engines (the harness's loop charges it per turn, the Claude Code proxy per forwarded request).
It answers three questions:

- may another model call start? (the cap, counted over the whole run folder, so a resumed
  run keeps the limit it was given);
- what did this invocation really pay, and what did it reuse from the response cache? (for
  ``run.json``'s invocation records);
- which requests were sent and never answered? A journal in the run folder
  (``requests.jsonl``: one line when a request leaves, one when its answer is kept) survives
  a kill -9, so the next invocation counts the requests an interrupt cut off: the API
  probably billed them, and they are sent again.

It also tells a watcher (the progress view) about turns, retries and spend, and holds the
error that ends the run at once (a 401, 403 or unknown model will not heal by retrying).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from evals.records import Usage

FATAL_STATUS = (401, 403, 404)
"""API answers that no retry will change: a bad key, no permission, an unknown model."""


class Watcher(Protocol):
    """What the progress view hears (every method is called on the run's event loop)."""

    def turn(self, label: str, turn: int, usage: Usage, tools: list[str], cached: bool) -> None: ...

    def retry(self, cause: str) -> None: ...

    def spend(self, spent_usd: float, limit_usd: float | None) -> None: ...


@dataclass
class Budget:
    """A run-wide cost limit: once spent, no new model call starts (in-flight ones finish)."""

    limit_usd: float | None = None
    spent_usd: float = 0.0
    """Paid in this run folder: earlier invocations (from run.json) plus this one."""
    paid_usd: float = 0.0
    """Paid by this invocation."""
    reused_usd: float = 0.0
    """What the replies served from the response cache cost when they were first paid."""
    requests: int = 0
    """Requests this invocation sent to the API and got an answer to."""
    cache_hits: int = 0
    retries: Counter[str] = field(default_factory=Counter)
    """Answers the API failed with that were retried (or not), by cause."""
    fatal: str | None = None
    """The API's message for an error that ends the run at once."""
    watcher: Watcher | None = None
    journal: Path | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def exhausted(self) -> bool:
        if self.fatal is not None:
            return True
        return self.limit_usd is not None and self.spent_usd >= self.limit_usd

    @property
    def capped(self) -> bool:
        """True when the cap (not an error) is what stops new calls."""
        return self.limit_usd is not None and self.spent_usd >= self.limit_usd

    async def add(self, cost: float) -> None:
        """A paid reply."""
        async with self._lock:
            self.spent_usd += cost
            self.paid_usd += cost
            self.requests += 1
        if self.watcher is not None:
            self.watcher.spend(self.spent_usd, self.limit_usd)

    def reuse(self, original_cost: float) -> None:
        """A reply served from the response cache (free now; ``original_cost`` when paid)."""
        self.cache_hits += 1
        self.reused_usd += original_cost

    def fail(self, message: str) -> None:
        """An error no retry will heal: no new call starts, and the run ends with it."""
        if self.fatal is None:
            self.fatal = message

    def retry(self, cause: str) -> None:
        self.retries[cause] += 1
        if self.watcher is not None:
            self.watcher.retry(cause)

    def turn(self, label: str, turn: int, usage: Usage, tools: list[str], cached: bool) -> None:
        if self.watcher is not None:
            self.watcher.turn(label, turn, usage, tools, cached)

    # --- the in-flight journal --------------------------------------------------------------

    def sent(self, key: str) -> None:
        self._journal({"sent": key})

    def answered(self, key: str) -> None:
        self._journal({"done": key})

    def _journal(self, entry: dict[str, str]) -> None:
        if self.journal is None:
            return
        # Not fsynced: a kill -9 keeps what write() handed the kernel, which is all we need.
        with contextlib.suppress(OSError), open(self.journal, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


def cut_off(journal: Path) -> list[str]:
    """Keys of the requests sent and never answered (an interrupt cut them off)."""
    if not journal.is_file():
        return []
    sent: dict[str, int] = {}
    for line in journal.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line torn by the kill
        if not isinstance(entry, dict):
            continue
        if "sent" in entry:
            sent[entry["sent"]] = sent.get(entry["sent"], 0) + 1
        elif "done" in entry and sent.get(entry["done"]):
            sent[entry["done"]] -= 1
    return sorted(key for key, left in sent.items() for _ in range(left))


def settle_journal(journal: Path) -> int:
    """Count the requests earlier invocations left unanswered, and start a fresh journal."""
    lost = len(cut_off(journal))
    with contextlib.suppress(FileNotFoundError):
        os.remove(journal)
    return lost
