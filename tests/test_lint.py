"""Agent lint: what a run checks in an agent file before it spends anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeMessagesAPI

from evals.agent import parse_agent_file
from evals.cli import main
from evals.config import DEFAULT_AGENT, RunOptions
from evals.errors import AgentFileError
from evals.lint import estimate_tokens, lint_agent
from evals.runner import run


def agent_file(tmp_path: Path, front: str, body: str = "You build FastAPI apps.") -> Path:
    path = tmp_path / "agent.md"
    path.write_text(f"---\nname: tester\ndescription: Builds APIs.\n{front}---\n\n{body}\n")
    return path


def messages(path: Path, **kwargs) -> list[str]:
    return [
        f"{i.severity}: {i.message}" for i in lint_agent(parse_agent_file(path), **kwargs).issues
    ]


def test_the_stock_agent_file_lints_clean():
    report = lint_agent(parse_agent_file(DEFAULT_AGENT))
    assert report.errors == [] and report.model == "claude-sonnet-5-5"
    assert 1_000 < report.prompt_tokens < 5_000


def test_unknown_tool_names_are_errors_with_a_hint(tmp_path):
    found = messages(agent_file(tmp_path, "tools: Read, Write, Grpe\n"))
    assert found == ["error: unknown tool 'Grpe' (did you mean 'Grep'?)"]


def test_claude_code_tools_the_harness_lacks_are_warnings(tmp_path):
    found = messages(agent_file(tmp_path, "tools: Read, Write, WebFetch, mcp__db__query\n"))
    assert found == [
        "warning: tool 'WebFetch' is not available in the harness: ignored",
        "warning: tool 'mcp__db__query' is not available in the harness: ignored",
    ]


def test_an_agent_that_cannot_write_files_is_refused(tmp_path):
    found = messages(agent_file(tmp_path, "tools: Read, Grep\n"))
    assert found == ["error: the tools list has neither Write nor Edit: the agent cannot code"]


def test_the_model_must_resolve_to_a_current_priced_model(tmp_path):
    assert messages(agent_file(tmp_path, "model: haiku\n")) == []
    assert messages(agent_file(tmp_path, "model: inherit\n")) == []
    assert "neither an alias" in messages(agent_file(tmp_path, "model: gpt-5\n"))[0]
    deprecated = messages(agent_file(tmp_path, "model: claude-sonnet-4-5\n"))
    assert any("deprecated" in m for m in deprecated)
    assert "no price" in messages(agent_file(tmp_path, "model: sonnet\n"), model="claude-new-9")[0]


def test_prompt_size_is_estimated_offline_and_bounded(tmp_path):
    assert estimate_tokens("Return 201 on create.") == 7  # Re-turn 201 on cre-ate .
    huge = agent_file(tmp_path, "", body="Validate every input carefully. " * 30_000)
    assert messages(huge)[0].startswith("error: the system prompt is ~")
    big = agent_file(tmp_path, "", body="Validate every input carefully. " * 5_000)
    assert messages(big)[0].startswith("warning: the system prompt is ~")


def test_evals_lint_exits_2_on_a_bad_file_and_0_on_a_good_one(tmp_path, capsys):
    assert main(["lint", str(DEFAULT_AGENT)]) == 0
    assert "claude-sonnet-5-5" in capsys.readouterr().out
    assert main(["lint", str(agent_file(tmp_path, "tools: Read, Grpe\n"))]) == 2
    assert "Grep" in capsys.readouterr().err
    broken = tmp_path / "broken.md"
    broken.write_text("no front matter\n")
    assert main(["lint", str(broken)]) == 2


def test_a_run_with_a_bad_agent_file_stops_before_any_api_call(make_case, tmp_path, monkeypatch):
    folder = make_case()
    with FakeMessagesAPI() as fake:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-fake")
        with pytest.raises(AgentFileError, match="unknown tool 'Grpe'"):
            run(
                RunOptions(
                    agent=agent_file(tmp_path, "tools: Read, Write, Grpe\n"),
                    cases_dir=folder.parent,
                    provider="anthropic",
                    out=tmp_path / "reports",
                    quiet=True,
                )
            )
        assert fake.attempts == 0
    assert not (tmp_path / "reports").exists()
