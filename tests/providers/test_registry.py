"""What each provider declares about itself, and the two facts "offline" used to blur."""

from __future__ import annotations

import pytest

from evals.errors import UsageError
from evals.providers import (
    PROVIDERS,
    info,
    is_offline,
    plays_known_solutions,
    provider_class,
    resolve_name,
)


def test_every_registered_provider_names_a_module_that_implements_it():
    for name in PROVIDERS:
        if name == "claude-code":
            continue  # the optional extra may be missing; its module imports it
        assert provider_class(name).name == name


def test_replay_calls_no_model_but_does_not_play_known_solutions():
    assert is_offline("replay") and not plays_known_solutions("replay")
    assert is_offline("reference") and plays_known_solutions("reference")
    assert not is_offline("anthropic") and not plays_known_solutions("anthropic")
    assert not is_offline("from-an-older-harness")


def test_auto_without_a_key_resolves_to_the_known_solutions(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    assert info("auto").known_solutions
    with pytest.raises(UsageError, match="choose from auto, claude-code"):
        resolve_name("nope")
