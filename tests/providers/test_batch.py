"""Message Batches mode against the fake's batch endpoints: one batch per turn of all active
samples, half price, the same conversations as the interactive mode, and a batch left
running by a dead process is collected rather than paid for twice."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from fakes.sessions import ping_session

from evals import models
from evals.agent import parse_agent_file
from evals.cases import AGENT, Case, load_case
from evals.config import DEFAULT_AGENT
from evals.providers.anthropic import AnthropicProvider, to_params
from evals.providers.base import SampleSpec
from evals.records import Message, ModelRequest, TextBlock, Transcript
from evals.response_cache import ResponseCache, request_key
from evals.solve import Budget, LoopLimits, solve
from evals.tools import Toolset
from evals.workspace import Workspace

MODEL = models.resolve("sonnet")
SAMPLES = 3


@pytest.fixture
def case(make_case) -> Case:
    return load_case(make_case())


def solve_samples(case: Case, root: Path, *, batch: bool) -> list[Transcript]:
    async def go() -> list[Transcript]:
        prov = AnthropicProvider(MODEL, batch=batch, cache=ResponseCache(root / "cache"))
        agent = parse_agent_file(DEFAULT_AGENT)

        async def one(index: int) -> Transcript:
            workspace = Workspace.create(root / f"sample-{index}", case.workspace)
            return await solve(
                SampleSpec(case, AGENT, index),
                agent=agent,
                provider=prov,
                toolset=Toolset(workspace=workspace),
                model=MODEL,
                task="Build a ping endpoint.",
                limits=LoopLimits(max_turns=5, max_tokens=4096, wall_time_s=60),
                budget=Budget(),
            )

        try:
            return list(await asyncio.gather(*(one(i) for i in range(SAMPLES))))
        finally:
            await prov.aclose()

    return asyncio.run(go())


def test_each_turn_of_all_active_samples_goes_out_as_one_batch(fake_api, case, tmp_path):
    fake_api.script = ping_session()
    transcripts = solve_samples(case, tmp_path / "batch", batch=True)

    sizes = [len(b["requests"]) for b in fake_api.batches.values()]
    assert sizes == [SAMPLES, SAMPLES]  # two turns, each one batch of every sample
    assert fake_api.attempts == 0  # nothing went through the interactive endpoint
    for t in transcripts:
        assert t.stop == "end_turn" and len(t.turns) == 2
        for turn in t.turns:
            assert turn.cost_usd == pytest.approx(models.cost_usd(MODEL, turn.usage, batch=True))
            assert turn.cost_usd == pytest.approx(models.cost_usd(MODEL, turn.usage) / 2)


def test_batch_mode_gives_the_same_conversations_as_the_interactive_mode(fake_api, case, tmp_path):
    fake_api.script = ping_session()
    batched = solve_samples(case, tmp_path / "batch", batch=True)
    interactive = solve_samples(case, tmp_path / "interactive", batch=False)

    assert fake_api.attempts == SAMPLES * 2
    assert [t.messages for t in batched] == [t.messages for t in interactive]
    assert [t.stop for t in batched] == [t.stop for t in interactive]


def test_a_batch_left_by_a_dead_run_is_collected_not_sent_again(fake_api, case, tmp_path):
    """A run that died while its batch was out journaled the batch id; the next run adopts it."""
    cache = ResponseCache(tmp_path / "cache")
    request = ModelRequest(
        model=MODEL,
        system=parse_agent_file(DEFAULT_AGENT).body,
        tools=[],
        messages=[Message(role="user", content=[TextBlock(text="Build a ping endpoint.")])],
    )
    key = request_key(request, 0)

    async def go() -> tuple[bool, int]:
        prov = AnthropicProvider(MODEL, batch=True, cache=cache)
        try:
            # What the dead run did: create the batch and journal it, then nothing.
            created = await prov.client().messages.batches.create(
                requests=[{"custom_id": key, "params": to_params(request)}]
            )
            journal = cache.root / "_batches" / f"{created.id}.json"
            journal.parent.mkdir(parents=True, exist_ok=True)
            journal.write_text(
                json.dumps(
                    {"batch_id": created.id, "requests": {key: {"model": MODEL, "sample": 0}}}
                )
            )
            reply = await prov.complete(request, SampleSpec(case, AGENT, 0))
            return reply.cached, len(list(journal.parent.glob("*.json")))
        finally:
            await prov.aclose()

    cached, journals_left = asyncio.run(go())
    assert len(fake_api.batches) == 1  # no second batch
    assert cached and journals_left == 0
    assert cache.get(key) is not None and cache.get(key).batch
