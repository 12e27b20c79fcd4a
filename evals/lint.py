"""Agent lint: everything about an agent file that can be checked before spending anything.

:func:`evals.agent.parse_agent_file` already refuses a malformed file (front matter syntax,
unknown or duplicate keys, no name, description or body). This adds what needs knowledge of
the harness and the API: tool names, the model alias, and the prompt's size in tokens,
estimated offline. Errors stop a run; warnings are printed and the run goes on.
"""

from __future__ import annotations

import difflib
import math
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from evals import models
from evals.errors import AgentFileError, UsageError
from evals.tools import DEFAULT_TOOLS

if TYPE_CHECKING:
    from evals.agent import AgentFile
    from evals.config import RunOptions

# Claude Code's built-in tool names: valid in ``tools:``, but only DEFAULT_TOOLS exist here.
CLAUDE_CODE_TOOLS = frozenset(
    {
        *DEFAULT_TOOLS,
        "MultiEdit", "LS", "NotebookRead", "NotebookEdit", "WebFetch", "WebSearch", "Task",
        "TodoWrite", "BashOutput", "KillShell", "KillBash", "SlashCommand", "ExitPlanMode",
        "Skill", "AskUserQuestion",
    }
)  # fmt: skip
COLORS = frozenset({"red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan"})
WARN_PROMPT_TOKENS = 20_000
"""Above this the prompt dominates the cost of every turn (even cached)."""
MAX_PROMPT_TOKENS = 100_000
_PIECES = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class LintIssue:
    severity: Literal["error", "warning"]
    message: str


@dataclass
class LintReport:
    prompt_tokens: int
    model: str
    issues: list[LintIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[LintIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[LintIssue]:
        return [i for i in self.issues if i.severity == "warning"]


def estimate_tokens(text: str) -> int:
    """An offline token estimate (no tokenizer ships with the SDK).

    Every word and punctuation mark is at least one token, and long words one per four
    characters; on English prose and code this lands within ~20% of real counts, erring high.
    """
    return sum(max(1, math.ceil(len(piece) / 4)) for piece in _PIECES.findall(text))


def lint_agent(
    agent: AgentFile, *, model: str | None = None, deprecations: bool = True
) -> LintReport:
    """Check ``agent``; ``model`` (a ``--model`` override) replaces the file's alias.

    ``deprecations`` checks the model against the SDK's list (importing the SDK takes a
    moment: offline runs skip it).
    """
    issues: list[LintIssue] = []
    model_id = _check_model(model or agent.model, issues, deprecations=deprecations)
    _check_tools(agent.tools, issues)
    if agent.color is not None and agent.color not in COLORS:
        issues.append(
            LintIssue(
                "warning", f"color {agent.color!r} is not one Claude Code knows ({_list(COLORS)})"
            )
        )
    tokens = estimate_tokens(agent.body)
    if tokens > MAX_PROMPT_TOKENS:
        issues.append(
            LintIssue(
                "error",
                f"the system prompt is ~{tokens:,} tokens (estimated); the limit here is "
                f"{MAX_PROMPT_TOKENS:,}",
            )
        )
    elif tokens > WARN_PROMPT_TOKENS:
        issues.append(
            LintIssue(
                "warning",
                f"the system prompt is ~{tokens:,} tokens (estimated): every turn carries it",
            )
        )
    return LintReport(prompt_tokens=tokens, model=model_id, issues=issues)


def _check_model(name: str | None, issues: list[LintIssue], *, deprecations: bool) -> str:
    model_id = models.resolve(name)
    if name and name not in (*models.ALIASES, "inherit") and not name.startswith("claude-"):
        issues.append(
            LintIssue(
                "error",
                f"model {name!r} is neither an alias ({', '.join(models.ALIASES)}, inherit) "
                "nor a Claude model id",
            )
        )
        return model_id
    deprecated = models.sdk_deprecated_models() if deprecations else {}
    if model_id in deprecated:
        issues.append(
            LintIssue(
                "error",
                f"model {model_id!r} is deprecated (end of life {deprecated[model_id]}); "
                f"use one of: {', '.join(models.ALIASES)}",
            )
        )
    try:
        models.price_for(model_id)
    except UsageError as exc:
        issues.append(LintIssue("error", str(exc)))
    return model_id


def _check_tools(tools: tuple[str, ...] | None, issues: list[LintIssue]) -> None:
    if tools is None:
        return  # Claude Code's default: every tool
    for tool in tools:
        if tool in DEFAULT_TOOLS:
            continue
        if tool in CLAUDE_CODE_TOOLS or tool.startswith("mcp__"):
            issues.append(
                LintIssue("warning", f"tool {tool!r} is not available in the harness: ignored")
            )
            continue
        close = difflib.get_close_matches(tool, sorted(CLAUDE_CODE_TOOLS), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        issues.append(LintIssue("error", f"unknown tool {tool!r}{hint}"))
    if not {"Write", "Edit"} & set(tools):
        issues.append(
            LintIssue("error", "the tools list has neither Write nor Edit: the agent cannot code")
        )


def _list(names: frozenset[str]) -> str:
    return ", ".join(sorted(names))


def enforce(agent: AgentFile, options: RunOptions) -> LintReport:
    """The pre-flight check of ``evals run``: raise on errors, print warnings."""
    from evals import providers

    calls_api = providers.info(options.provider).sends_model_id
    report = lint_agent(agent, model=options.model if calls_api else None, deprecations=calls_api)
    if report.errors:
        problems = "; ".join(i.message for i in report.errors)
        raise AgentFileError(f"agent lint failed: {problems}", path=agent.path)
    if not options.quiet:
        for issue in report.warnings:
            print(f"{agent.path}: warning: {issue.message}", file=sys.stderr)
    return report
