"""Model providers: where an agent's replies come from.

``anthropic`` (the Messages API), ``reference`` (a case's known solutions played back as
tool calls, offline) and ``replay`` (an earlier run's transcripts). Each is looked up by name
and imported only when used, so the CLI starts fast.
"""

from __future__ import annotations

import importlib
import os

from evals.errors import UsageError
from evals.providers.base import Provider, SampleSpec

_MODULES = {
    "anthropic": "evals.providers.anthropic",
    "reference": "evals.providers.reference",
    "replay": "evals.providers.replay",
}


def resolve_name(name: str) -> str:
    """``auto`` means anthropic when an API key is set, else the offline reference provider."""
    if name == "auto":
        return "anthropic" if os.environ.get("ANTHROPIC_API_KEY") else "reference"
    if name not in _MODULES:
        raise UsageError(f"unknown provider {name!r} (choose from auto, {', '.join(_MODULES)})")
    return name


def provider_class(name: str) -> type[Provider]:
    module = importlib.import_module(_MODULES[resolve_name(name)])
    return module.PROVIDER


__all__ = ["Provider", "SampleSpec", "provider_class", "resolve_name"]
