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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evals.errors import UsageError

if TYPE_CHECKING:  # the registry is read by `evals run --help`: no pydantic before a run
    from evals.providers.base import Provider


@dataclass(frozen=True)
class ProviderInfo:
    """One provider, as data: the one place its name and nature are written."""

    name: str
    """As given to ``--provider`` and recorded in ``run.json``."""
    module: str
    """The module whose ``PROVIDER`` implements it (imported on first use)."""
    offline: bool
    """No model is called: the run measures the harness (reference) or re-serves an
    earlier run (replay); spend, cost caps and pass rates of the agent do not apply."""
    records: str
    """What its transcripts hold (shown by ``evals run --help`` and the report)."""
    known_solutions: bool = False
    """It plays each case's known solutions (reference, alternatives, mutants): fixed
    programs, each judged by "as expected" (mutants must fail) rather than by a pass rate,
    and compared exactly by the gate. A narrower fact than ``offline``: a replayed agent run
    calls no model either, but its samples are the agent's, noisy like any agent run."""
    sends_model_id: bool = False
    """The harness sends ``--model`` to the Messages API itself, as written: ``evals lint``
    checks it is a known, current model id (Claude Code resolves its own aliases)."""


PROVIDERS: dict[str, ProviderInfo] = {
    p.name: p
    for p in (
        ProviderInfo(
            "claude-code",
            "evals.providers.claude_code",
            offline=False,
            records="the Claude Code CLI's requests and replies, per subagent turn",
        ),
        ProviderInfo(
            "anthropic",
            "evals.providers.anthropic",
            offline=False,
            records="the Messages API requests and replies of the harness's own agent loop",
            sends_model_id=True,
        ),
        ProviderInfo(
            "reference",
            "evals.providers.reference",
            offline=True,
            records="each case's known solutions written as tool calls (no model)",
            known_solutions=True,
        ),
        ProviderInfo(
            "replay",
            "evals.providers.replay",
            offline=True,
            records="an earlier run's transcripts, re-served (no model)",
        ),
    )
}
AUTO = "auto"
"""Not a provider: the most faithful one the environment allows (:func:`resolve_name`)."""
REFERENCE = "reference"
"""The known-solutions provider ``evals validate`` and offline runs use."""


def info(name: str) -> ProviderInfo:
    """The provider behind ``name`` (``auto`` resolved first)."""
    return PROVIDERS[resolve_name(name)]


def is_offline(name: str) -> bool:
    """Whether a run with this provider called no model (an unknown, older name: False)."""
    known = PROVIDERS.get(name)
    return known is not None and known.offline


def plays_known_solutions(name: str) -> bool:
    """Whether a run with this provider played known solutions (an unknown name: False)."""
    known = PROVIDERS.get(name)
    return known is not None and known.known_solutions


def claude_code_installed() -> bool:
    """Whether the ``claude-code`` extra (the wheel that bundles the CLI) is installed."""
    return importlib.util.find_spec("claude_agent_sdk") is not None


def resolve_name(name: str) -> str:
    """``auto`` means the most faithful engine a key allows: claude-code when its extra is
    installed, else anthropic; without a key, the offline reference provider."""
    if name == AUTO:
        if not os.environ.get("ANTHROPIC_API_KEY"):
            return REFERENCE
        return "claude-code" if claude_code_installed() else "anthropic"
    if name not in PROVIDERS:
        choices = ", ".join((AUTO, *PROVIDERS))
        raise UsageError(f"unknown provider {name!r} (choose from {choices})")
    return name


def provider_class(name: str) -> type[Provider]:
    module = importlib.import_module(info(name).module)
    return module.PROVIDER


__all__ = [
    "AUTO",
    "PROVIDERS",
    "REFERENCE",
    "ProviderInfo",
    "info",
    "is_offline",
    "plays_known_solutions",
    "provider_class",
    "resolve_name",
]
