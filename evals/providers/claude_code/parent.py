"""The scripted parent: Claude Code's main thread, answered by the harness, never by a model.

Its only move is the one a user's main agent makes before a subagent starts: delegate the
case's task, verbatim, to the agent under test through the ``Agent`` tool, in the foreground
(a background subagent would leave the main thread waiting on nothing and end the run early).
Once the subagent's report comes back it ends the session. What the subagent's model sees is
then what it sees under a real parent: the task as the parent's prompt, and Claude Code's own
subagent framing around it.
"""

from __future__ import annotations

from typing import Any

AGENT_TOOL = "Agent"
DELEGATION_ID = "toolu_evals_delegate"
PROMPT = "Hand the task in the Agent tool call to the agent under test."
"""What the parent's ``-p`` prompt says; only the parent (this script) ever reads it."""


def delegated(body: dict[str, Any]) -> bool:
    """Whether the conversation already holds the subagent's answer to the delegation."""
    for message in body.get("messages") or []:
        content = message.get("content")
        if isinstance(content, list) and any(
            isinstance(block, dict)
            and block.get("type") == "tool_result"
            and block.get("tool_use_id") == DELEGATION_ID
            for block in content
        ):
            return True
    return False


def reply(body: dict[str, Any], *, agent_name: str, task: str, number: int) -> dict[str, Any]:
    """The parent's next message for a main-thread request."""
    if delegated(body):
        content: list[dict[str, Any]] = [{"type": "text", "text": "The agent has finished."}]
        stop = "end_turn"
    else:
        content = [
            {
                "type": "tool_use",
                "id": DELEGATION_ID,
                "name": AGENT_TOOL,
                "input": {
                    "subagent_type": agent_name,
                    "description": "Do the evaluation task",
                    "prompt": task,
                    "run_in_background": False,
                },
            }
        ]
        stop = "tool_use"
    return {
        "id": f"msg_evals_parent_{number:03d}",
        "type": "message",
        "role": "assistant",
        "model": body.get("model") or "evals-scripted-parent",
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {
            "input_tokens": 0,
            "output_tokens": 0,
            "cache_read_input_tokens": 0,
            "cache_creation_input_tokens": 0,
        },
    }
