import asyncio

from evals.agent import parse_agent_file
from evals.cases import AGENT, load_case
from evals.config import DEFAULT_AGENT
from evals.errors import ProviderError
from evals.providers import framing
from evals.providers.base import Provider, SampleSpec
from evals.records import ModelReply, ModelRequest, TextBlock, ToolUseBlock
from evals.solve import Budget, LoopLimits, solve
from evals.tools import Toolset
from evals.workspace import Workspace


class Scripted(Provider):
    """Replies from a list; records the requests it saw."""

    def __init__(self, replies):
        self.replies = list(replies)
        self.requests: list[ModelRequest] = []

    async def complete(self, request, sample):
        self.requests.append(request.model_copy(deep=True))
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply


LIMITS = {"max_turns": 40, "max_tokens": 128_000, "wall_time_s": 900.0}


def run(provider, tmp_path, make_case, **limits):
    case = load_case(make_case())
    ws = Workspace.create(tmp_path / "ws", {})
    return asyncio.run(
        solve(
            SampleSpec(case, AGENT, 0),
            agent=parse_agent_file(DEFAULT_AGENT),
            provider=provider,
            toolset=Toolset(workspace=ws),
            model="m",
            task="do it",
            limits=LoopLimits(**{**LIMITS, **limits}),
            budget=Budget(),
        )
    ), ws


def write_call(path, content="x = 1\n", id_="t1"):
    return ToolUseBlock(id=id_, name="Write", input={"file_path": path, "content": content})


def test_tool_errors_go_back_to_the_model_and_the_loop_continues(tmp_path, make_case):
    provider = Scripted([
        ModelReply(content=[write_call("../../etc/passwd")], stop_reason="tool_use"),
        ModelReply(content=[ToolUseBlock(id="t2", name="Write", input={"path": "x"})], stop_reason="tool_use"),
        ModelReply(content=[write_call("app/main.py", id_="t3")], stop_reason="tool_use"),
        ModelReply(content=[TextBlock(text="done")], stop_reason="end_turn"),
    ])  # fmt: skip
    transcript, ws = run(provider, tmp_path, make_case)
    assert transcript.stop == "end_turn"
    first_result = provider.requests[1].messages[-1].content[0]
    assert first_result.is_error and "outside the workspace" in first_result.content
    second_result = provider.requests[2].messages[-1].content[0]
    assert second_result.is_error and second_result.content == (
        "<tool_use_error>InputValidationError: Write failed due to the following issues:\n"
        "The required parameter `file_path` is missing\n"
        "The required parameter `content` is missing\n"
        "An unexpected parameter `path` was provided</tool_use_error>"
    )
    assert (ws.root / "app" / "main.py").read_text() == "x = 1\n"
    assert len(transcript.turns) == 4


def test_system_prompt_is_the_agent_body(tmp_path, make_case):
    provider = Scripted([ModelReply(content=[TextBlock(text="hi")], stop_reason="end_turn")])
    run(provider, tmp_path, make_case)
    body = parse_agent_file(DEFAULT_AGENT).body
    assert provider.requests[0].system == framing.system_prompt(body)


def test_max_turns_bounds_a_model_that_never_stops(tmp_path, make_case):
    replies = [
        ModelReply(content=[write_call("a.py", id_=f"t{i}")], stop_reason="tool_use")
        for i in range(5)
    ]
    transcript, _ = run(Scripted(replies), tmp_path, make_case, max_turns=3)
    assert transcript.stop == "max_turns"
    assert len(transcript.turns) == 3


def test_reply_cut_off_at_max_tokens_is_told_to_continue(tmp_path, make_case):
    provider = Scripted([
        ModelReply(content=[TextBlock(text="partial")], stop_reason="max_tokens"),
        ModelReply(content=[TextBlock(text="done")], stop_reason="end_turn"),
    ])  # fmt: skip
    transcript, _ = run(provider, tmp_path, make_case)
    assert transcript.stop == "end_turn"
    assert "cut off" in provider.requests[1].messages[-1].content[0].text


def test_provider_failure_ends_the_sample_as_an_infra_error(tmp_path, make_case):
    transcript, _ = run(
        Scripted([ProviderError("overloaded after 3 retries")]), tmp_path, make_case
    )
    assert transcript.stop == "error"
    assert transcript.error == "overloaded after 3 retries"


def test_exhausted_budget_starts_no_model_call(tmp_path, make_case):
    provider = Scripted([])
    case = load_case(make_case())
    budget = Budget(limit_usd=1.0, spent_usd=1.5)
    transcript = asyncio.run(
        solve(SampleSpec(case, AGENT, 0), agent=parse_agent_file(DEFAULT_AGENT), provider=provider,
              toolset=Toolset(workspace=Workspace.create(tmp_path / "w", {})), model="m",
              task="t", limits=LoopLimits(**LIMITS), budget=budget)
    )  # fmt: skip
    assert transcript.stop == "cost_limit"
    assert provider.requests == []
