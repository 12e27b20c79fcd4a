"""What the harness's own loop wraps around the agent file, to stand where Claude Code stands.

A Claude Code subagent does not see its agent file alone (``../shared/CLAUDE_CODE.md``): the
system prompt opens with an identity line and ends with notes for subagents, the first user
turn carries an environment message, and requests ask for adaptive thinking at an effort
level. The same things, in our own words, so the
agent's prompt is judged in the setting it is written for; the differences that remain are
listed in the README ("Engines").
"""

from __future__ import annotations

import platform
from datetime import UTC, datetime
from typing import Any

from evals.workspace import VIRTUAL_ROOT

IDENTITY = "You are an agent started by another agent to carry out one task, using tools."
SUBAGENT_NOTES = """Notes for this task:
- The agent that started you speaks through the task message; your final message is the
  report it reads. Keep it short: what you did and the absolute paths of the files that matter,
  with code only where the exact text matters.
- The shell's working directory is reset between Bash calls: use absolute paths.
- Do not write report or summary files; answer in your final message instead.
- No emojis."""
THINKING: dict[str, Any] = {"type": "adaptive", "display": "omitted"}
EFFORT = "medium"


def system_prompt(body: str) -> str:
    return f"{IDENTITY}\n\n{body}\n\n{SUBAGENT_NOTES}"


def environment(model: str, today: str | None = None) -> str:
    """The environment message, a reminder before the task in the first user turn."""
    day = today or datetime.now(UTC).date().isoformat()
    return (
        "<system-reminder>\n"
        "Environment:\n"
        f"- Working directory: {VIRTUAL_ROOT}\n"
        "- Git repository: no\n"
        f"- Platform: {platform.system().lower()}\n"
        "- Shell: bash\n"
        f"- Model: {model}\n"
        f"- Date: {day}\n"
        "</system-reminder>"
    )
