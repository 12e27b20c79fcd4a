"""``--provider claude-code``: the agent under test run by the real Claude Code CLI.

Per sample, the CLI bundled in the ``claude-agent-sdk`` wheel (the ``claude-code`` extra) runs
headless inside the sample's sandbox, as its leased uid, with no network, the workspace at
``/workspace``. A scripted parent (:mod:`.parent`) delegates the case's task, verbatim, to the
agent file given as a subagent; the subagent's model calls go through the harness-side proxy
(:mod:`.proxy`) on a unix socket, the sandbox's only way out, which holds the key, enforces
the cost and turn limits, caches and logs every exchange (:mod:`.exchanges`).
Measured facts behind every choice: ``../shared/CLAUDE_CODE.md``.
"""

from __future__ import annotations

from evals.providers.claude_code.provider import ClaudeCodeProvider

PROVIDER = ClaudeCodeProvider

__all__ = ["PROVIDER", "ClaudeCodeProvider"]
