"""Flags shared by the subcommands that run or grade samples."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from evals.config import DEFAULT_AGENT, DEFAULT_CASES, DEFAULT_OUT, RunOptions


def add_suite_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--agent",
        type=Path,
        default=DEFAULT_AGENT,
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
        help="only this case (repeatable)",
    )


def add_cases_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cases",
        type=Path,
        default=DEFAULT_CASES,
        metavar="DIR",
        dest="cases_dir",  # the RunOptions field: options_from ignores names it lacks
        help="cases folder or exported dataset (default: %(default)s)",
    )


def add_grading_flags(parser: argparse.ArgumentParser, *, out: bool = True) -> None:
    """Sandbox and grading flags; ``out=False`` for commands that write into an existing run."""
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="samples graded in parallel (default: cores, %(default)s)",
    )
    parser.add_argument(
        "--grader-mode",
        choices=["fresh", "warm"],
        default="warm",
        help="warm: each sample in a child forked from a pre-imported, sandboxed worker "
        "(same verdicts, several times faster; grades fresh where it cannot run); "
        "fresh: a new sandboxed process per sample, the reference (default: %(default)s)",
    )
    parser.add_argument(
        "--isolation",
        choices=["auto", "bwrap", "unshare", "none"],
        default="auto",
        help="sandbox level (default: best available)",
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
            default=DEFAULT_OUT,
            metavar="DIR",
            help="where run folders go (default: %(default)s)",
        )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress output")


def options_from(args: argparse.Namespace) -> RunOptions:
    options = RunOptions()
    for key, value in vars(args).items():
        if hasattr(options, key) and value is not None:
            setattr(options, key, value)
    return options
