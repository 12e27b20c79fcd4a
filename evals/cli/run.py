"""Run the golden suite against the agent and write a run folder.

Prints progress on standard error and the run folder's path as the last line of standard
output. With no ANTHROPIC_API_KEY, --provider auto plays the cases' known solutions offline.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evals.cli.options import add_grading_flags, add_suite_flags, options_from

HELP = "run the suite"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_suite_flags(parser)
    parser.add_argument(
        "--provider",
        default="auto",
        choices=["auto", "claude-code", "anthropic", "reference", "replay"],
        help="auto: with ANTHROPIC_API_KEY set, claude-code when its extra is installed, "
        "else anthropic; without a key, reference",
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=1,
        metavar="N",
        help="samples per case for the agent (default: %(default)s)",
    )
    parser.add_argument(
        "--model",
        default=None,
        metavar="ID",
        help="model id or alias (default: the agent file's model)",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=4,
        metavar="N",
        help="samples generating at once (default: %(default)s)",
    )
    parser.add_argument(
        "--max-cost",
        type=float,
        default=None,
        metavar="USD",
        help="stop starting model calls once this much is spent",
    )
    parser.add_argument(
        "--max-turns",
        type=int,
        default=None,
        metavar="N",
        help="agent turns per sample (default: the case's limit)",
    )
    parser.add_argument(
        "--batch",
        action="store_true",
        help="send each turn of all samples as one Message Batch (half price)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="bypass the response cache (every request goes to the API)",
    )
    parser.add_argument(
        "--resume",
        type=Path,
        default=None,
        metavar="RUN",
        help="finish the missing samples of an earlier run",
    )
    parser.add_argument(
        "--replay-from",
        type=Path,
        default=None,
        metavar="RUN",
        help="with --provider replay: the run whose transcripts to replay",
    )
    parser.add_argument(
        "--stand-in",
        action="append",
        default=[],
        metavar="CASE=MUTANT",
        help=argparse.SUPPRESS,  # harness self-check: a mutant plays the case's reference
    )
    add_grading_flags(parser)


def main(args: argparse.Namespace) -> int:
    from evals.errors import UsageError
    from evals.providers import resolve_name
    from evals.runner import run
    from evals.store import RunStore
    from evals.summary import render

    if args.samples < 1 or args.concurrency < 1 or args.workers < 1:
        raise UsageError("--samples, --concurrency and --workers must be at least 1")
    options = options_from(args)
    if options.stand_in and resolve_name(options.provider) != "reference":
        raise UsageError("--stand-in is a self-check of the reference provider only")
    run_dir = run(options)
    store = RunStore.open(run_dir)
    rows = store.results()
    if not args.quiet:
        print(render(store.read_info(), rows), file=sys.stderr)
    from evals.report import write_report

    report = write_report(run_dir, options.cases_dir)
    if not args.quiet:
        print(f"report: {report}", file=sys.stderr)
    print(run_dir)
    if rows and all(r.infra_error for r in rows):
        return 3
    return 0
