"""Model providers: where an agent's replies come from.

``claude-code`` (the real Claude Code CLI, per sample, in the sandbox), ``anthropic`` (the
Messages API through the harness's own loop), ``reference`` (a case's known solutions played back as
tool calls, offline) and ``replay`` (an earlier run's transcripts). Each is looked up by name
and imported only when used, so the CLI starts fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import os

from evals.errors import UsageError
from evals.providers.base import Provider, SampleSpec

_MODULES = {
    "claude-code": "evals.providers.claude_code",
    "anthropic": "evals.providers.anthropic",
    "reference": "evals.providers.reference",
    "replay": "evals.providers.replay",
}


def claude_code_installed() -> bool:
    """Whether the ``claude-code`` extra (the wheel that bundles the CLI) is installed."""
    return importlib.util.find_spec("claude_agent_sdk") is not None


def resolve_name(name: str) -> str:
    """``auto`` means the most faithful engine a key allows: claude-code when its extra is
    installed, else anthropic; without a key, the offline reference provider."""
    if name == "auto":
        if not os.environ.get("ANTHROPIC_API_KEY"):
            return "reference"
        return "claude-code" if claude_code_installed() else "anthropic"
    if name not in _MODULES:
        raise UsageError(f"unknown provider {name!r} (choose from auto, {', '.join(_MODULES)})")
    return name


def provider_class(name: str) -> type[Provider]:
    module = importlib.import_module(_MODULES[resolve_name(name)])
    return module.PROVIDER


__all__ = ["Provider", "SampleSpec", "provider_class", "resolve_name"]
