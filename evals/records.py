"""Typed records that cross stage boundaries or are written to disk.

Messages follow the Anthropic Messages API shape (text / tool_use / tool_result blocks), so a
transcript is exactly what was sent and received, and the replay provider can re-serve it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- conversation ---------------------------------------------------------------------------


class TextBlock(Record):
    type: Literal["text"] = "text"
    text: str


class ToolUseBlock(Record):
    type: Literal["tool_use"] = "tool_use"
    id: str
    name: str
    input: dict[str, Any]
    """The tool input as the model sent it (validated by the tool, not here)."""


class ToolResultBlock(Record):
    type: Literal["tool_result"] = "tool_result"
    tool_use_id: str
    content: str
    is_error: bool = False


class ThinkingBlock(Record):
    """Adaptive thinking (on by default on current models); sent back unchanged."""

    type: Literal["thinking"] = "thinking"
    thinking: str
    signature: str = ""


class RedactedThinkingBlock(Record):
    type: Literal["redacted_thinking"] = "redacted_thinking"
    data: str


Block = Annotated[
    TextBlock | ToolUseBlock | ToolResultBlock | ThinkingBlock | RedactedThinkingBlock,
    Field(discriminator="type"),
]


class Message(Record):
    role: Literal["user", "assistant", "system"]
    """``system``: a mid-conversation system message (Claude Code sends its environment so)."""
    content: list[Block]


class ToolSpec(Record):
    """A tool as offered to the model (Messages API ``tools`` entry)."""

    name: str
    description: str
    input_schema: dict[str, Any]


class Usage(Record):
    input_tokens: int = 0
    """Uncached input tokens billed at the base rate."""
    output_tokens: int = 0
    cache_read_tokens: int = 0
    """Input tokens served from the prompt cache (billed at ~10%)."""
    cache_write_tokens: int = 0
    """Input tokens written to the prompt cache (billed at ~125%)."""

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
        )


class ModelRequest(Record):
    """Everything that determines a model reply (and so the response-cache key)."""

    model: str
    system: str
    tools: list[ToolSpec]
    messages: list[Message]
    max_tokens: int = 8192
    temperature: float | None = None
    thinking: dict[str, Any] | None = None
    """The ``thinking`` parameter (the harness's loop asks as Claude Code does)."""
    effort: str | None = None
    """``output_config.effort``."""


class ModelReply(Record):
    content: list[Block]
    stop_reason: str
    """end_turn | tool_use | max_tokens | stop_sequence | refusal | ..."""
    usage: Usage = Usage()
    cost_usd: float = 0.0
    latency_s: float = 0.0
    cached: bool = False
    """Served from the harness's response cache: no API call was made."""


class Turn(Record):
    """One model call in a transcript with its accounting."""

    stop_reason: str
    usage: Usage
    cost_usd: float
    latency_s: float
    cached: bool = False


class Transcript(Record):
    system: str
    model: str
    tools: list[str]
    messages: list[Message]
    turns: list[Turn] = []
    stop: str = ""
    """Why the loop ended: end_turn | max_turns | max_tokens | wall_time | cost_limit | error."""
    error: str | None = None
    """Infra error that ended generation (API failures after retries), if any."""
    engine: str = ""
    """What ran the agent's loop: empty for the harness's own loop, ``claude-code <version>``
    when the Claude Code CLI did (its requests are then in ``claude-code/exchanges.jsonl``)."""


# --- grading --------------------------------------------------------------------------------


class TestOutcome(Record):
    __test__ = False  # not a pytest class

    id: str
    """Test function name (with parametrize id), unique within the case."""
    outcome: Literal["passed", "failed", "error", "skipped", "missing"]
    message: str = ""
    rules: list[str] = []
    """Prompt responsibilities the test checks (evals/rules.py)."""
    duration_s: float = 0.0


class Finding(Record):
    """A static finding (ruff, conformance, openapi) at a place in the generated code."""

    code: str
    message: str
    path: str = ""
    line: int = 0
    severity: Literal["error", "warning", "info"] = "warning"
    rule: str = ""
    """The prompt responsibility the finding bears on, when it bears on one."""


class GradeResult(Record):
    grader: str
    score: float = 0.0
    """0..1, higher is better."""
    passed: bool = False
    infra_error: str | None = None
    """Set when the harness/sandbox broke: the score is then left out of aggregates."""
    tests: list[TestOutcome] = []
    findings: list[Finding] = []
    details: str = ""
    duration_s: float = 0.0
    required: bool | None = None
    """Whether the case let this grade decide the sample's pass (its ``[graders]`` entry);
    None in rows written before it was recorded (the grader's default then stands)."""


# --- run store ------------------------------------------------------------------------------


class SampleResult(Record):
    """One row of results.jsonl / results.parquet."""

    run_id: str
    case_id: str
    variant: str
    """agent | reference | alternative-<name> | mutant-<name>"""
    sample: int
    passed: bool
    score: float
    expected_pass: bool | None = None
    """For known solutions: what validation requires (True for references/alternatives)."""
    grades: dict[str, GradeResult]
    rule_scores: dict[str, float] = {}
    """Per prompt responsibility: share of that rule's tests passed."""
    infra_error: str | None = None
    stop: str = ""
    turns: int = 0
    usage: Usage = Usage()
    cost_usd: float = 0.0
    gen_latency_s: float = 0.0
    grade_latency_s: float = 0.0
    sample_dir: str = ""
    """Relative to the run folder."""

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.case_id, self.variant, self.sample)


class Invocation(Record):
    """One ``evals run`` (or ``--resume``) that worked on a run folder: what it paid."""

    started_at: str
    finished_at: str | None = None
    outcome: str = "running"
    """complete | incomplete (cost cap) | stopped (an API error no retry heals) |
    interrupted | running (the process died before it could say)."""
    max_cost: float | None = None
    """The cap in force (USD, over the whole run folder)."""
    grader_mode: str = ""
    """How this invocation graded: ``warm`` or ``fresh`` (fresh where warm cannot run, whatever
    was asked); a resumed run may grade differently from the invocation that started it."""
    requests: int = 0
    """Requests sent to the API and answered (each one paid)."""
    cache_hits: int = 0
    """Replies served from the response cache (free in this invocation)."""
    cost_usd: float = 0.0
    """Paid by this invocation."""
    reused_usd: float = 0.0
    """What the replies reused from the cache cost when they were first paid."""
    resent: int = 0
    """Requests an earlier invocation sent and never got an answer to (an interrupt cut them
    off): the API probably billed them, and this invocation sent them again."""
    retries: dict[str, int] = {}
    """API answers retried, by cause (``529 overloaded_error``)."""
    error: str | None = None
    """The API's message when it stopped the run."""


class RunInfo(Record):
    """run.json: what was evaluated, with what, and when."""

    run_id: str
    harness_version: str
    git_sha: str | None
    agent_path: str
    agent_name: str
    agent_sha256: str
    agent_text: str
    model: str
    provider: str
    suite_hash: str
    case_ids: list[str]
    samples: int
    isolation: str
    started_at: str
    finished_at: str | None = None
    options: dict[str, Any] = {}
    """The command-line options the run used (for resume and the report header)."""
    claude_code_version: str | None = None
    """The Claude Code CLI that ran the agent (provider ``claude-code``): part of the unit
    under test, like the agent file, since its prompts and tools change between releases."""
    planned: list[str] = []
    """Every sample the run is to grade, as ``case/variant-k``: what is missing from the
    results makes the run incomplete."""
    invocations: list[Invocation] = []
    """Every invocation that worked on this folder, in order (accounting)."""

    @property
    def max_cost(self) -> float | None:
        """The cost cap the run was given (kept by --resume unless it names another)."""
        value = self.options.get("max_cost")
        return float(value) if value is not None else None

    @property
    def paid_usd(self) -> float:
        """Paid into this run folder, over every invocation."""
        return sum(i.cost_usd for i in self.invocations)

    @property
    def reused_usd(self) -> float:
        return sum(i.reused_usd for i in self.invocations)

    @property
    def resent(self) -> int:
        return sum(i.resent for i in self.invocations)
