"""The Claude Code CLI bundled in the ``claude-agent-sdk`` wheel (the ``claude-code`` extra):
where it is, which version, and how one sample's session is started.

The session is headless (``-p``, stream-json) with the agent under test given as a subagent
definition (``--agents``: the same request as an installed ``.claude/agents/<name>.md``,
measured), permissions in ``dontAsk`` mode with an allow-list (``bypassPermissions`` would
change the text the model sees, and refuses to run as root), nonessential traffic and the
autoupdater off, and the CLI's own retries bounded (the proxy retries the API itself).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from evals.errors import UsageError
from evals.providers.claude_code import parent

if TYPE_CHECKING:
    from evals.agent import AgentFile

EXTRA = "claude-code"
INSTALL_HINT = "pip install -e '.[claude-code]'  (make installs it with the other dependencies)"
WORKSPACE = PurePosixPath("/workspace")
"""Where the sample's workspace is inside the sandbox: the same for every sample and run, so
the environment message (and every request after it) does not vary between runs."""
SHARE = PurePosixPath("/evals")
"""A read-only folder in the sandbox with the proxy's socket and the agent definition."""
SOCKET_NAME = "api.sock"
AGENTS_NAME = "agents.json"
ALLOWED_TOOLS = ("Bash", "Write", "Edit", "Read")
"""What the subagent may use without asking (``dontAsk`` denies the rest): the file and shell
tools the harness's own loop offers. WebFetch and WebSearch stay denied: no network."""
PLACEHOLDER_KEY = "sk-ant-evals-placeholder-not-a-key"
"""The only key the sandbox ever holds: the proxy drops it and adds the real one."""


def bundled_cli() -> Path:
    """The CLI's path, or a :class:`UsageError` saying how to install it."""
    spec = importlib.util.find_spec("claude_agent_sdk")
    if spec is None or spec.origin is None:
        raise UsageError(
            f"provider 'claude-code' needs the {EXTRA!r} extra (the claude-agent-sdk wheel, "
            f"which bundles the Claude Code CLI): {INSTALL_HINT}"
        )
    path = Path(spec.origin).parent / "_bundled" / "claude"
    if not path.is_file():
        raise UsageError(
            f"claude-agent-sdk is installed but carries no CLI at {path} (a wheel for another "
            f"platform?): reinstall it with {INSTALL_HINT}"
        )
    return path


@cache
def version(path: Path) -> str:
    """The CLI's version (``2.1.332``), from the file the wheel ships beside it, else the CLI."""
    stamp = path.with_name(path.name + ".version")
    try:
        text = stamp.read_text(encoding="utf-8")
    except OSError:
        try:
            text = subprocess.run(
                [str(path), "--version"], capture_output=True, text=True, timeout=60
            ).stdout
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UsageError(f"cannot run the Claude Code CLI at {path}: {exc}") from None
    found = text.strip().split()
    if not found:
        raise UsageError(f"the Claude Code CLI at {path} does not say its version")
    return found[0]


def definition(agent: AgentFile, *, model: str, max_turns: int) -> dict[str, Any]:
    """The ``--agents`` entry for the agent file: what Claude Code reads from its front matter."""
    entry: dict[str, Any] = {
        "description": agent.description,
        "prompt": agent.body,
        "model": model,
        "maxTurns": max_turns,
    }
    if agent.tools is not None:
        entry["tools"] = list(agent.tools)
    return {agent.name: entry}


def agents_json(agent: AgentFile, *, model: str, max_turns: int) -> str:
    return json.dumps(definition(agent, model=model, max_turns=max_turns), ensure_ascii=False)


def argv(cli: Path) -> list[str]:
    return [
        str(cli), "-p", parent.PROMPT,
        "--output-format", "stream-json", "--verbose",
        "--agents", str(SHARE / AGENTS_NAME),
        "--permission-mode", "dontAsk",
        "--allowedTools", ",".join(ALLOWED_TOOLS),
    ]  # fmt: skip


def environment(path_prefix: str) -> dict[str, str]:
    """The CLI's environment on top of the sandbox's scrubbed one: no secret in it."""
    return {
        "PATH": path_prefix,
        "SHELL": "/bin/bash",
        "ANTHROPIC_UNIX_SOCKET": str(SHARE / SOCKET_NAME),
        # The socket alone makes the CLI try TLS; with this base URL it speaks plain HTTP.
        "ANTHROPIC_BASE_URL": "http://localhost",
        "ANTHROPIC_API_KEY": PLACEHOLDER_KEY,
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        "DISABLE_AUTOUPDATER": "1",
        # The proxy retries the API; the CLI retrying a refusal would only repeat it.
        "CLAUDE_CODE_MAX_RETRIES": "1",
    }
