"""Fakes of external services for offline tests (served on 127.0.0.1 only)."""

from fakes.messages_api import (
    Failure,
    FakeMessagesAPI,
    Reply,
    by_turn,
    text,
    tool_results,
    tool_use,
    turn_of,
)

__all__ = [
    "Failure",
    "FakeMessagesAPI",
    "Reply",
    "by_turn",
    "text",
    "tool_results",
    "tool_use",
    "turn_of",
]
