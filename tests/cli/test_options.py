"""The flags of the commands that run or grade samples all reach the run's options, with the
defaults RunOptions declares, and a flag that has no option is refused instead of ignored."""

from __future__ import annotations

import argparse
import dataclasses
import importlib
from pathlib import Path

import pytest

from evals.cli.options import options_from
from evals.config import RunOptions, default

COMMANDS = ["run", "grade", "validate"]


def parser_of(command: str):
    module = importlib.import_module(f"evals.cli.{command}")
    parser = argparse.ArgumentParser(prog=f"evals {command}")
    module.add_arguments(parser)
    return module, parser


def option_actions(module, parser) -> list[argparse.Action]:
    """The command's flags that configure the run (not --help, not its own)."""
    return [
        a
        for a in parser._actions
        if a.dest != "help" and a.dest not in module.OWN_FLAGS and a.option_strings
    ]


def non_default(action: argparse.Action) -> tuple[list[str], object]:
    """Command-line words that set ``action`` to a value other than its default, and that
    value as RunOptions holds it."""
    flag = action.option_strings[-1]
    if action.nargs == 0:  # store_true
        return [flag], True
    if action.choices:
        choice = next(c for c in action.choices if c != action.default)
        return [flag, choice], choice
    if action.type is int:
        return [flag, "7"], 7
    if action.type is float:
        return [flag, "2.5"], 2.5
    if action.type is Path:
        return [flag, "/tmp/somewhere"], Path("/tmp/somewhere")
    if isinstance(action, argparse._AppendAction):
        return [flag, "a=b"], ("a=b",)
    return [flag, "x"], "x"


def required_words(command: str) -> list[str]:
    return ["RUN"] if command == "grade" else []


@pytest.mark.parametrize("command", COMMANDS)
def test_every_flag_of_the_command_reaches_the_run_options(command):
    module, parser = parser_of(command)
    actions = option_actions(module, parser)
    assert actions
    for action in actions:
        words, value = non_default(action)
        args = parser.parse_args([*required_words(command), *words])
        options = options_from(args, own=module.OWN_FLAGS)
        assert getattr(options, action.dest) == value, action.option_strings
        assert value != default(action.dest), action.option_strings  # the flag made a change


@pytest.mark.parametrize("command", COMMANDS)
def test_a_flag_left_out_means_the_run_options_default(command):
    module, parser = parser_of(command)
    options = options_from(parser.parse_args(required_words(command)), own=module.OWN_FLAGS)
    for action in option_actions(module, parser):
        assert getattr(options, action.dest) == default(action.dest), action.option_strings
        # --help shows it too (None: the flag's help says what stands in for it).
        assert action.default in (default(action.dest), None, []), action.option_strings


def test_a_flag_with_no_option_is_refused_not_ignored():
    args = argparse.Namespace(workers=2, wrokers=3)
    with pytest.raises(TypeError, match="wrokers"):
        options_from(args)
    args = argparse.Namespace(workers=2, max_turnz=None)  # even when left at None
    with pytest.raises(TypeError, match="max_turnz"):
        options_from(args)
    assert options_from(args, own={"max_turnz"}).workers == 2


def test_run_options_cannot_be_written_to():
    options = RunOptions()
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.wall_time_s = 1.0  # type: ignore[misc]
