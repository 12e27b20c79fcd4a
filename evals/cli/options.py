"""Flags shared by the subcommands that run or grade samples, and the RunOptions they make.

Every default comes from :class:`evals.config.RunOptions` (:func:`evals.config.default`), and
:func:`options_from` passes every flag to it by name: a flag whose name is not a RunOptions
field is refused at once, so a renamed flag cannot silently stop reaching the run.
"""

from __future__ import annotations

import argparse
from collections.abc import Collection
from dataclasses import fields
from pathlib import Path
from typing import Any

from evals.config import RunOptions, default

_OPTION_NAMES = frozenset(f.name for f in fields(RunOptions))


def add_suite_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--agent",
        type=Path,
        default=default("agent"),
        metavar="FILE",
        help="agent file under test (default: %(default)s)",
    )
    add_cases_flag(parser)
    parser.add_argument(
        "--case",
        action="append",
        default=[],
        metavar="ID",
        dest="case_ids",
        help="only this case (repeatable; default: every case)",
    )


def add_cases_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cases",
        type=Path,
        default=default("cases_dir"),
        metavar="DIR",
        dest="cases_dir",
        help="cases folder or exported dataset (default: %(default)s)",
    )


def add_grading_flags(parser: argparse.ArgumentParser, *, out: bool = True) -> None:
    """Sandbox and grading flags; ``out=False`` for commands that write into an existing run."""
    parser.add_argument(
        "--workers",
        type=int,
        default=default("workers"),
        metavar="N",
        help="samples graded in parallel (default: cores, %(default)s)",
    )
    parser.add_argument(
        "--grader-mode",
        choices=["fresh", "warm"],
        default=default("grader_mode"),
        help="warm: each sample in a child forked from a pre-imported, sandboxed worker "
        "(same verdicts, several times faster; grades fresh where it cannot run); "
        "fresh: a new sandboxed process per sample, the reference (default: %(default)s)",
    )
    parser.add_argument(
        "--isolation",
        choices=["auto", "bwrap", "unshare", "none"],
        default=default("isolation"),
        help="sandbox level (default: %(default)s, the best available)",
    )
    parser.add_argument(
        "--unsafe-local",
        action="store_true",
        help="allow running generated code without a sandbox when none works",
    )
    if out:
        parser.add_argument(
            "--out",
            type=Path,
            default=default("out"),
            metavar="DIR",
            help="where run folders go (default: %(default)s)",
        )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress output")


def options_from(args: argparse.Namespace, *, own: Collection[str] = ()) -> RunOptions:
    """The RunOptions of a command's parsed flags.

    Every flag must be a RunOptions field (by its ``dest``), except the command's ``own``
    flags, which it reads from ``args`` itself; anything else raises TypeError, at the first
    run of the command (and in tests/cli/test_options.py), instead of being ignored. A flag left
    at None takes the field's default; repeatable flags become tuples.
    """
    given = {name: value for name, value in vars(args).items() if name not in own}
    if unknown := sorted(set(given) - _OPTION_NAMES):
        raise TypeError(f"flags with no RunOptions field: {', '.join(unknown)}")
    # argparse's values are untyped (Any); RunOptions checks the names
    values: dict[str, Any] = {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in given.items()
        if value is not None
    }
    return RunOptions(**values)
