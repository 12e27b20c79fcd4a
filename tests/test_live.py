"""Against the real Messages API: opt-in only (``EVALS_LIVE=1`` and ``ANTHROPIC_API_KEY``).

Two small calls on the cheapest alias check what the fake cannot: that the alias table
names models the API serves, that our request shape is accepted (tools, cache_control on the
system prompt and the conversation), and that the second call reads the prefix from the
prompt cache. Cost: well under a cent.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from evals import models
from evals.agent import parse_agent_file
from evals.cases import AGENT, load_suite
from evals.config import DEFAULT_AGENT, DEFAULT_CASES
from evals.providers.anthropic import AnthropicProvider
from evals.providers.base import SampleSpec
from evals.records import Message, ModelRequest, TextBlock
from evals.response_cache import ResponseCache
from evals.tools import SPECS

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        os.environ.get("EVALS_LIVE") != "1" or not os.environ.get("ANTHROPIC_API_KEY"),
        reason="live API test: set EVALS_LIVE=1 and ANTHROPIC_API_KEY",
    ),
]


def test_the_real_api_accepts_our_requests_and_caches_the_prefix(tmp_path):
    agent = parse_agent_file(DEFAULT_AGENT)
    model = models.resolve("haiku")
    case = load_suite(DEFAULT_CASES)[0]
    request = ModelRequest(
        model=model,
        system=agent.body,
        tools=list(SPECS.values()),
        messages=[Message(role="user", content=[TextBlock(text="Reply with the word ready.")])],
        max_tokens=256,
    )

    async def go():
        provider = AnthropicProvider(
            model, cache=ResponseCache(tmp_path / "cache"), read_cache=False
        )
        try:
            first = await provider.complete(request, SampleSpec(case, AGENT, 0))
            second = await provider.complete(request, SampleSpec(case, AGENT, 1))
            return first, second
        finally:
            await provider.aclose()

    first, second = asyncio.run(go())
    assert first.stop_reason in ("end_turn", "max_tokens")
    assert first.usage.output_tokens > 0 and first.cost_usd > 0
    assert first.usage.cache_write_tokens + first.usage.cache_read_tokens > 0
    assert second.usage.cache_read_tokens > 0
