"""The anthropic provider against the wire-level fake: the real SDK, real HTTP on 127.0.0.1.

Each scenario drives the agent loop (or one call) with a scripted fake and checks what went
over the wire and what the loop made of it. Whole runs (grading included) are in
test_runs.py.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from fakes import Failure, FakeMessagesAPI, Reply, by_turn, text, tool_results, tool_use
from fakes.sessions import ping_session

from evals import models
from evals.agent import parse_agent_file
from evals.cases import AGENT, Case, load_case
from evals.config import DEFAULT_AGENT, RunOptions
from evals.errors import StoreError, UsageError
from evals.providers import framing
from evals.providers.anthropic import AnthropicProvider
from evals.providers.base import SampleSpec
from evals.records import Message, ModelRequest, TextBlock, ThinkingBlock, Transcript
from evals.response_cache import ResponseCache
from evals.solve import CUT_OFF_NOTE, Budget, LoopLimits, solve
from evals.tools import Toolset
from evals.workspace import Workspace

MODEL = models.resolve("sonnet")


@pytest.fixture
def case(make_case) -> Case:
    return load_case(make_case())


def provider(**kwargs) -> AnthropicProvider:
    return AnthropicProvider(MODEL, max_retries=2, **kwargs)


async def run_loop(
    prov: AnthropicProvider,
    case: Case,
    root: Path,
    *,
    index: int = 0,
    budget: Budget | None = None,
) -> tuple[Transcript, Workspace]:
    workspace = Workspace.create(root / f"sample-{index}", case.workspace)
    transcript = await solve(
        SampleSpec(case, AGENT, index),
        agent=parse_agent_file(DEFAULT_AGENT),
        provider=prov,
        toolset=Toolset(workspace=workspace),
        model=MODEL,
        task="Build a ping endpoint.",
        limits=LoopLimits(max_turns=6, max_tokens=4096, wall_time_s=60),
        budget=budget or Budget(),
    )
    return transcript, workspace


def solve_once(case: Case, root: Path, **kwargs) -> tuple[Transcript, Workspace]:
    async def go() -> tuple[Transcript, Workspace]:
        prov = provider(**kwargs)
        try:
            return await run_loop(prov, case, root)
        finally:
            await prov.aclose()

    return asyncio.run(go())


def test_requests_carry_the_agent_prompt_tools_and_cache_breakpoints(fake_api, case, tmp_path):
    fake_api.script = ping_session()
    transcript, workspace = solve_once(case, tmp_path)

    assert transcript.stop == "end_turn" and len(transcript.turns) == 2
    assert (workspace.root / "app/main.py").is_file()
    first, second = fake_api.served
    agent = parse_agent_file(DEFAULT_AGENT)
    assert first["model"] == MODEL and "temperature" not in first
    assert first["system"] == [
        {
            "type": "text",
            "text": framing.system_prompt(agent.body),
            "cache_control": {"type": "ephemeral"},
        }
    ]
    assert first["system"][0]["text"].startswith(framing.IDENTITY)
    assert first["system"][0]["text"].endswith(framing.SUBAGENT_NOTES)
    # Asked as Claude Code asks: streamed, adaptive thinking, an effort level.
    assert first["stream"] is True and first["max_tokens"] == 4096
    assert first["thinking"] == framing.THINKING
    assert first["output_config"] == {"effort": framing.EFFORT}
    environment, task = first["messages"][0]["content"]
    assert "Working directory: /workspace" in environment["text"]
    assert task["text"] == "Build a ping endpoint."
    assert [t["name"] for t in first["tools"]] == ["Read", "Write", "Edit", "Glob", "Grep"]
    # The moving breakpoint sits on the last block of the conversation.
    assert second["messages"][-1]["content"][-1]["cache_control"] == {"type": "ephemeral"}
    assert "cache_control" not in second["messages"][0]["content"][-1]
    assert fake_api.bad_requests == []


def test_calls_after_the_first_read_the_stable_prefix_from_the_prompt_cache(
    fake_api, case, tmp_path
):
    fake_api.script = ping_session()
    transcript, _ = solve_once(case, tmp_path)

    first, second = (turn.usage for turn in transcript.turns)
    assert first.cache_write_tokens > 0 and first.cache_read_tokens == 0
    assert second.cache_read_tokens >= first.cache_write_tokens
    expected = models.cost_usd(MODEL, first)
    assert transcript.turns[0].cost_usd == pytest.approx(expected)


def test_rate_limit_is_retried_after_the_time_retry_after_asks(fake_api, case, tmp_path):
    fake_api.script = ping_session()
    fake_api.failures.append(Failure(429, "rate_limit_error", headers={"retry-after": "1"}))
    started = time.monotonic()
    transcript, _ = solve_once(case, tmp_path)

    assert transcript.stop == "end_turn" and transcript.error is None
    assert time.monotonic() - started >= 1.0
    assert fake_api.attempts == 3 and len(fake_api.served) == 2


def test_overloaded_until_retries_run_out_ends_the_sample_as_an_infra_error(
    fake_api, case, tmp_path
):
    fake_api.fail_always = Failure(529, "overloaded_error", headers={"retry-after-ms": "10"})
    transcript, _ = solve_once(case, tmp_path)

    assert transcript.stop == "error"
    assert "529" in transcript.error and "overloaded_error" in transcript.error
    assert fake_api.attempts == 3  # the first call and max_retries=2 retries
    assert transcript.turns == []


def test_a_non_retryable_error_is_not_retried(fake_api, case, tmp_path):
    fake_api.fail_always = Failure(400, "invalid_request_error", "prompt is too long")
    transcript, _ = solve_once(case, tmp_path)
    assert transcript.stop == "error" and "prompt is too long" in transcript.error
    assert fake_api.attempts == 1


def test_a_reply_cut_off_at_max_tokens_is_continued(fake_api, case, tmp_path):
    fake_api.script = by_turn(
        [Reply([text("Here is the plan: first")], "max_tokens"), Reply([text("Done.")])]
    )
    transcript, _ = solve_once(case, tmp_path)

    assert [t.stop_reason for t in transcript.turns] == ["max_tokens", "end_turn"]
    assert fake_api.served[1]["messages"][-1]["content"][-1]["text"] == CUT_OFF_NOTE
    assert transcript.stop == "end_turn"


def test_a_malformed_tool_input_gets_a_tool_error_and_the_loop_goes_on(fake_api, case, tmp_path):
    fake_api.script = by_turn(
        [
            Reply(
                [
                    tool_use("Write", {"file_path": 7, "content": "x"}, "toolu_a"),
                    tool_use("Write", "not an object", "toolu_b"),
                    tool_use("Frobnicate", {}, "toolu_c"),
                ],
                "tool_use",
            ),
            Reply([text("Sorry, done.")]),
        ]
    )
    transcript, _ = solve_once(case, tmp_path)

    results = tool_results(fake_api.served[1])
    assert [r["tool_use_id"] for r in results] == ["toolu_a", "toolu_b", "toolu_c"]
    assert all(r["is_error"] for r in results)
    assert [r["content"] for r in results] == [
        "<tool_use_error>InputValidationError: Write failed due to the following issue:\n"
        "The parameter `file_path` type is expected as `string` but provided as `number`"
        "</tool_use_error>",
        "<tool_use_error>InputValidationError: Write failed due to the following issues:\n"
        "The required parameter `file_path` is missing\n"
        "The required parameter `content` is missing</tool_use_error>",
        "<tool_use_error>Error: No such tool available: Frobnicate</tool_use_error>",
    ]
    assert transcript.stop == "end_turn" and len(transcript.turns) == 2


def test_a_path_escape_is_refused_and_reported_to_the_agent(fake_api, case, tmp_path):
    passwd = Path("/etc/passwd").read_bytes()
    fake_api.script = by_turn(
        [
            Reply(
                [
                    tool_use("Read", {"file_path": "../../etc/passwd"}, "toolu_r"),
                    tool_use("Write", {"file_path": "../../etc/passwd", "content": "x"}, "toolu_w"),
                    tool_use("Read", {"file_path": "/etc/passwd"}, "toolu_abs"),
                ],
                "tool_use",
            ),
            Reply([text("Done.")]),
        ]
    )
    transcript, workspace = solve_once(case, tmp_path)

    results = tool_results(fake_api.served[1])
    assert all(r["is_error"] for r in results)
    assert all("outside the workspace" in r["content"] for r in results)
    assert "root:" not in str(fake_api.served[1])
    assert Path("/etc/passwd").read_bytes() == passwd
    assert list(workspace.files()) == []
    assert transcript.stop == "end_turn"


def test_thinking_blocks_go_back_to_the_api_unchanged(fake_api, case, tmp_path):
    thinking = {"type": "thinking", "thinking": "Plan: write main.py.", "signature": "sig=="}
    fake_api.script = by_turn(
        [
            Reply([thinking, tool_use("Glob", {"pattern": "**/*"}, "toolu_g")], "tool_use"),
            Reply([text("Done.")]),
        ]
    )
    transcript, _ = solve_once(case, tmp_path)

    assert fake_api.served[1]["messages"][1]["content"][0] == thinking
    assert isinstance(transcript.messages[1].content[0], ThinkingBlock)


def test_an_unchanged_request_is_served_from_the_response_cache(fake_api, case, tmp_path):
    fake_api.script = ping_session()
    first, _ = solve_once(case, tmp_path / "a")
    again, _ = solve_once(case, tmp_path / "b")

    assert len(fake_api.served) == 2  # the second loop made no API call
    assert all(t.cached and t.cost_usd == 0 for t in again.turns)
    assert again.messages == first.messages
    assert [t.usage for t in again.turns] == [t.usage for t in first.turns]

    bypass, _ = solve_once(case, tmp_path / "c", read_cache=False)
    assert len(fake_api.served) == 4 and not any(t.cached for t in bypass.turns)


def test_samples_of_one_case_make_their_own_calls(fake_api, case, tmp_path):
    fake_api.script = ping_session()

    async def go() -> list[Transcript]:
        prov = provider()
        try:
            runs = [run_loop(prov, case, tmp_path, index=i) for i in range(3)]
            return [t for t, _ in await asyncio.gather(*runs)]
        finally:
            await prov.aclose()

    transcripts = asyncio.run(go())
    assert len(fake_api.served) == 6
    assert not any(turn.cached for t in transcripts for turn in t.turns)


def test_every_reply_is_on_disk_before_the_loop_sees_it(fake_api, case, tmp_path):
    fake_api.script = ping_session()
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the cache folder should be")

    async def go() -> None:
        prov = provider(cache=ResponseCache(blocked / "responses"))
        request = ModelRequest(
            model=MODEL,
            system="s",
            tools=[],
            messages=[Message(role="user", content=[TextBlock(text="hi")])],
        )
        try:
            await prov.complete(request, SampleSpec(case, AGENT, 0))
        finally:
            await prov.aclose()

    with pytest.raises(StoreError, match="response cache"):
        asyncio.run(go())
    assert len(fake_api.served) == 1  # paid, but not handed to the loop


def test_the_cost_limit_stops_new_calls(fake_api, case, tmp_path):
    fake_api.script = by_turn(
        [Reply([tool_use("Glob", {"pattern": "*"}, f"toolu_{n}")], "tool_use") for n in range(5)]
    )

    async def go() -> Transcript:
        prov = provider()
        try:
            transcript, _ = await run_loop(prov, case, tmp_path, budget=Budget(limit_usd=1e-9))
            return transcript
        finally:
            await prov.aclose()

    transcript = asyncio.run(go())
    assert transcript.stop == "cost_limit"
    assert len(fake_api.served) == 1 and len(transcript.turns) == 1


def test_the_provider_needs_a_key_and_a_priced_model(monkeypatch):
    agent = parse_agent_file(DEFAULT_AGENT)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("ANTHROPIC_PROFILE", raising=False)
    with pytest.raises(UsageError, match="ANTHROPIC_API_KEY"):
        AnthropicProvider.create(RunOptions(provider="anthropic"), agent)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-fake")
    with pytest.raises(UsageError, match="no price"):
        AnthropicProvider.create(RunOptions(model="claude-unknown-9"), agent)
    created = AnthropicProvider.create(RunOptions(model="haiku"), agent)
    assert created.model_for(agent, RunOptions()) == models.ALIASES["haiku"]


def test_the_fake_rejects_what_the_api_rejects(fake_api):
    # The scenarios above rely on the fake refusing malformed conversations as the API does.
    assert isinstance(fake_api, FakeMessagesAPI)
    unanswered = {
        "model": MODEL,
        "max_tokens": 5,
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "hi"}]},
            {"role": "assistant", "content": [tool_use("Glob", {"pattern": "*"}, "toolu_x")]},
            {"role": "user", "content": [{"type": "text", "text": "go on"}]},
        ],
    }
    assert "tool_result" in fake_api.check(unanswered)


def test_a_batch_run_gives_each_sample_a_days_wall_time_without_touching_the_options(
    monkeypatch, make_case
):
    from evals.providers.anthropic import BATCH_WALL_TIME_S
    from evals.solve import loop_limits

    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-fake")
    agent = parse_agent_file(DEFAULT_AGENT)
    case = load_case(make_case())
    options = RunOptions(model="haiku", batch=True, wall_time_s=120.0)
    batch = AnthropicProvider.create(options, agent)
    model = batch.model_for(agent, options)
    assert loop_limits(options, case, model, batch).wall_time_s == BATCH_WALL_TIME_S
    assert options.wall_time_s == 120.0  # the run's options are never written to
    interactive = AnthropicProvider.create(RunOptions(model="haiku", wall_time_s=120.0), agent)
    limits = loop_limits(options, case, model, interactive)
    assert limits.wall_time_s == 120.0
    # Turns and tokens: the case's limit and the model's own, where the options set none.
    assert (limits.max_turns, limits.max_tokens) == (
        case.max_turns,
        models.max_output_tokens(model),
    )
