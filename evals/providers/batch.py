"""Message Batches mode (``--batch``): the turns of all active samples go out as one batch.

Each sample still runs its own loop; when it needs a reply, its request joins a queue. Once no
new request has arrived for a short gathering window, the queue goes out as one Message Batch
(half price), which is polled until it ends; each reply is written to the response cache
(fsynced) and handed back to its sample. A sample busy with a tool when a batch leaves joins
the next one, so batches may overlap.

A batch is paid for as soon as it is created, so its id is journaled next to the response
cache before polling starts. If the run dies while a batch is out, the next run (a resume or a
plain re-run) adopts the journal first: it collects that batch's results into the cache
instead of sending the same requests again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals.errors import ProviderError
from evals.records import ModelReply, ModelRequest
from evals.response_cache import ResponseCache
from evals.store import atomic_write

if TYPE_CHECKING:
    import anthropic

DEFAULT_GATHER_S = 2.0
DEFAULT_POLL_S = 20.0
MAX_ATTEMPTS = 3
"""Sends of one request: a result that errored, expired or was canceled goes in the next
batch, up to this many times, then the sample ends as an infra error."""


@dataclass
class _Pending:
    request: ModelRequest
    sample: int
    future: asyncio.Future[ModelReply]
    attempts: int = 0
    queued_at: float = 0.0


class BatchDispatcher:
    def __init__(
        self,
        client: Callable[[], anthropic.AsyncAnthropic],
        cache: ResponseCache,
        *,
        gather_s: float | None = None,
        poll_s: float | None = None,
    ) -> None:
        self._client = client
        self.cache = cache
        self.gather_s = (
            gather_s if gather_s is not None else _env("EVALS_BATCH_GATHER_S", DEFAULT_GATHER_S)
        )
        self.poll_s = poll_s if poll_s is not None else _env("EVALS_BATCH_POLL_S", DEFAULT_POLL_S)
        self.journal_dir = cache.root / "_batches"
        self.batches_sent = 0
        self._queue: dict[str, _Pending] = {}
        self._arrived = asyncio.Event()
        self._flusher: asyncio.Task[None] | None = None
        self._running: set[asyncio.Task[None]] = set()
        self._adopted = False
        self._adopt_lock = asyncio.Lock()

    # --- the sample side ----------------------------------------------------------------------

    async def ready(self) -> None:
        """Collect the results of batches an earlier process left running (once)."""
        async with self._adopt_lock:
            if self._adopted:
                return
            self._adopted = True
            for path in sorted(self.journal_dir.glob("*.json")):
                await self._adopt(path)

    async def submit(self, key: str, request: ModelRequest, sample: int) -> ModelReply:
        pending = self._queue.get(key)
        if pending is None:
            loop = asyncio.get_running_loop()
            pending = _Pending(request, sample, loop.create_future(), queued_at=time.monotonic())
            self._enqueue(key, pending)
        return await asyncio.shield(pending.future)

    def _enqueue(self, key: str, pending: _Pending) -> None:
        self._queue[key] = pending
        self._arrived.set()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_loop())

    # --- sending --------------------------------------------------------------------------

    async def _flush_loop(self) -> None:
        while self._queue:
            # Gather: wait until the active samples have all asked (no arrival for a while).
            while True:
                self._arrived.clear()
                try:
                    await asyncio.wait_for(self._arrived.wait(), self.gather_s)
                except TimeoutError:
                    break
            items, self._queue = self._queue, {}
            task = asyncio.create_task(self._run_batch(items))
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _run_batch(self, items: dict[str, _Pending]) -> None:
        import anthropic

        from evals.providers.anthropic import to_params

        for pending in items.values():
            pending.attempts += 1
        requests = [{"custom_id": key, "params": to_params(p.request)} for key, p in items.items()]
        try:
            # to_params builds the parameters as a plain dict (messages.create takes the same
            # dict as keywords); the SDK types a batch request's params as a TypedDict.
            batch = await self._client().messages.batches.create(requests=requests)  # type: ignore[arg-type]
        except anthropic.APIError as exc:
            self._fail(items, f"cannot create a message batch: {exc}")
            return
        self.batches_sent += 1
        journal = self._write_journal(batch.id, items)
        try:
            await self._collect(batch.id, items)
        except anthropic.APIError as exc:
            # The journal stays: a later run collects what this batch paid for.
            self._fail(items, f"message batch {batch.id} could not be collected: {exc}")
            return
        journal.unlink(missing_ok=True)

    async def _collect(self, batch_id: str, items: dict[str, _Pending]) -> None:
        from evals.providers.anthropic import to_reply

        client = self._client()
        batch = await client.messages.batches.retrieve(batch_id)
        while batch.processing_status != "ended":
            await asyncio.sleep(self.poll_s)
            batch = await client.messages.batches.retrieve(batch_id)
        seen: set[str] = set()
        async for item in await client.messages.batches.results(batch_id):
            pending = items.get(item.custom_id)
            if pending is None:
                continue
            seen.add(item.custom_id)
            result = item.result
            if result.type == "succeeded":
                reply = to_reply(
                    result.message,
                    pending.request.model,
                    latency_s=time.monotonic() - pending.queued_at,
                    batch=True,
                )
                self.cache.put(
                    item.custom_id,
                    model=pending.request.model,
                    sample=pending.sample,
                    reply=reply,
                    batch=True,
                )
                if not pending.future.done():
                    pending.future.set_result(reply)
            else:
                self._retry_or_fail(item.custom_id, pending, _describe(result))
        for key in items.keys() - seen:
            self._retry_or_fail(key, items[key], "no result in the batch")

    def _retry_or_fail(self, key: str, pending: _Pending, why: str) -> None:
        if pending.future.done():
            return
        if pending.attempts < MAX_ATTEMPTS:
            pending.queued_at = time.monotonic()
            self._enqueue(key, pending)
        else:
            pending.future.set_exception(
                ProviderError(f"batch request failed {pending.attempts} time(s): {why}")
            )

    @staticmethod
    def _fail(items: dict[str, _Pending], message: str) -> None:
        for pending in items.values():
            if not pending.future.done():
                pending.future.set_exception(ProviderError(message))

    # --- the journal ----------------------------------------------------------------------

    def _write_journal(self, batch_id: str, items: dict[str, _Pending]) -> Path:
        path = self.journal_dir / f"{batch_id}.json"
        record = {
            "batch_id": batch_id,
            "requests": {
                k: {"model": p.request.model, "sample": p.sample} for k, p in items.items()
            },
        }
        atomic_write(path, json.dumps(record), what="the batch journal")
        return path

    async def _adopt(self, path: Path) -> None:
        import anthropic

        from evals.providers.anthropic import to_reply

        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            batch_id = record["batch_id"]
            wanted: dict[str, Any] = record["requests"]
        except (OSError, ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)
            return
        _say(f"collecting message batch {batch_id} left by an earlier run")
        client = self._client()
        try:
            batch = await client.messages.batches.retrieve(batch_id)
            while batch.processing_status != "ended":
                await asyncio.sleep(self.poll_s)
                batch = await client.messages.batches.retrieve(batch_id)
            async for item in await client.messages.batches.results(batch_id):
                meta = wanted.get(item.custom_id)
                if meta is None or item.result.type != "succeeded":
                    continue
                reply = to_reply(item.result.message, meta["model"], latency_s=0.0, batch=True)
                self.cache.put(
                    item.custom_id,
                    model=meta["model"],
                    sample=meta["sample"],
                    reply=reply,
                    batch=True,
                )
        except anthropic.NotFoundError:
            pass  # gone (expired, deleted, another account): nothing to collect
        except anthropic.APIError as exc:
            _say(f"warning: message batch {batch_id} not collected ({exc}); will retry next run")
            return
        path.unlink(missing_ok=True)

    async def aclose(self) -> None:
        tasks = [t for t in (self._flusher, *self._running) if t is not None]
        for task in tasks:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks, return_exceptions=True)


def _describe(result: Any) -> str:
    error = getattr(result, "error", None)
    inner = getattr(error, "error", None)
    if inner is not None and getattr(inner, "message", None):
        return f"{result.type}: {inner.type}: {inner.message}"
    return str(result.type)


def _env(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
