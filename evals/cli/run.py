"""Run the golden suite against the agent and write a run folder.

Prints progress on standard error and the run folder's path as the last line of standard
output. With no ANTHROPIC_API_KEY, --provider auto plays the cases' known solutions offline.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from evals import providers
from evals.cli.options import add_grading_flags, add_suite_flags, options_from
from evals.config import CONFIRM_ABOVE_USD, default

if TYPE_CHECKING:
    from evals.runner import Finished

OWN_FLAGS = frozenset({"dry_run", "yes", "gate_baseline"})
"""What this command does before the run starts; every other flag is a RunOptions field."""
DEFAULTS: dict = {}
"""The parser's defaults (filled by add_arguments): what --resume compares flags against."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_suite_flags(parser)
    parser.add_argument(
        "--provider",
        default=default("provider"),
        choices=[providers.AUTO, *providers.PROVIDERS],
        help="auto: with ANTHROPIC_API_KEY set, claude-code when its extra is installed, "
        "else anthropic; without a key, reference (default: %(default)s). "
        + "; ".join(f"{p.name}: {p.records}" for p in providers.PROVIDERS.values()),
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=None,  # None: --resume tells a given "--samples 1" (refused) from none
        metavar="N",
        help=f"samples per case for the agent (default: {default('samples')})",
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
        default=default("concurrency"),
        metavar="N",
        help="samples generating at once (default: %(default)s)",
    )
    parser.add_argument(
        "--max-cost",
        type=float,
        default=None,
        metavar="USD",
        help="stop starting model calls once the run folder has paid this much (kept by "
        "--resume; a run it stops is incomplete and exits 4)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check everything that needs no model, print the plan and the estimate, stop",
    )
    parser.add_argument(
        "-y",
        "--yes",
        action="store_true",
        help=f"do not ask before a run estimated above ${CONFIRM_ABOVE_USD:g} "
        "(only asked on a terminal)",
    )
    parser.add_argument(
        "--gate-baseline",
        type=Path,
        default=None,
        metavar="RUN",
        help="refuse before spending when the gate could not compare this run with RUN "
        "(make gate passes its baseline)",
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
    DEFAULTS.update({a.dest: a.default for a in parser._actions})


IGNORED_BY_RESUME = {
    "agent": "--agent",
    "case_ids": "--case",
    "samples": "--samples",
    "model": "--model",
    "batch": "--batch",
    "no_cache": "--no-cache",
    "max_turns": "--max-turns",
    "replay_from": "--replay-from",
    "stand_in": "--stand-in",
    "gate_baseline": "--gate-baseline",
}
"""Flags a resumed run cannot honour: it finishes the run as it was started."""


class _NotRun(Exception):
    """Raised by the pre-spending check to end the command with ``code``."""

    def __init__(self, code: int) -> None:
        self.code = code


def check_flags(args: argparse.Namespace, parser_defaults: dict) -> None:
    from evals.errors import UsageError

    if args.max_cost is not None and not args.max_cost > 0:
        raise UsageError(f"--max-cost must be above 0 (got {args.max_cost:g})")
    if (args.samples is not None and args.samples < 1) or args.concurrency < 1 or args.workers < 1:
        raise UsageError("--samples, --concurrency and --workers must be at least 1")
    if args.resume is None:
        return
    given = [flag for dest, flag in IGNORED_BY_RESUME.items()
             if getattr(args, dest, None) != parser_defaults.get(dest)]  # fmt: skip
    if args.provider != providers.AUTO:
        given.append("--provider")
    if given:
        raise UsageError(
            f"--resume finishes {args.resume} as it was started, so it cannot honour "
            f"{', '.join(given)}: drop them, or start a new run"
        )


def main(args: argparse.Namespace) -> int:
    from evals.errors import UsageError
    from evals.runner import evaluate

    check_flags(args, DEFAULTS)
    options = options_from(args, own=OWN_FLAGS)
    if options.stand_in and providers.resolve_name(options.provider) != providers.REFERENCE:
        raise UsageError("--stand-in is a self-check of the reference provider only")
    try:
        finished = evaluate(options, before_spending=lambda plan: _before_spending(plan, args))
    except _NotRun as stop:
        return stop.code
    return finish(finished, options.cases_dir, quiet=args.quiet)


def finish(finished: Finished, cases_dir: Path, *, quiet: bool) -> int:
    """Summary, report, the run folder on standard output, and the exit code (from the
    results the run read once)."""
    from evals.completeness import INCOMPLETE_EXIT, completeness
    from evals.report import write_report
    from evals.summary import render

    store, info, rows = finished.store, finished.info, finished.rows
    state = completeness(info, rows)
    if not quiet:
        print(render(info, rows, str(store.root), frame=finished.frame), file=sys.stderr)
    report = write_report(store.root, cases_dir, rows, finished.frame)
    if not quiet:
        print(f"report: {report}", file=sys.stderr)
    if quiet and not state.complete:
        # Even with -q (make, CI): a capped run must not pass for a whole one.
        print(state.banner(str(store.root)), file=sys.stderr)
    print(store.root)
    if not state.complete:
        return INCOMPLETE_EXIT
    if rows and all(r.infra_error for r in rows):
        return 3
    return 0


def _before_spending(plan, args: argparse.Namespace) -> None:
    """Print the plan and estimate; check the gate's baseline; ask on a terminal."""
    if args.gate_baseline is not None:
        from evals.baseline import open_run
        from evals.gate import check_plan

        baseline = open_run(args.gate_baseline, args.cases_dir, role="baseline")
        check_plan(
            baseline,
            known_solutions=plan.known_solutions,
            provider=plan.provider,
            cases=list(plan.cases),
        )
    if args.dry_run:
        print(plan.describe())
        raise _NotRun(0)
    if not args.quiet or plan.needs_confirmation():
        print(plan.describe(), file=sys.stderr)
    if plan.needs_confirmation() and not args.yes and _interactive():
        answer = input(f"Spend up to about ${plan.high:.2f}? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print("not run: nothing was spent", file=sys.stderr)
            raise _NotRun(1)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()
