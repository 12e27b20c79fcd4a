"""Re-grade a run with today's graders: no model is called.

Runs the current graders on each sample's stored final workspace and rewrites the run's
results (results.jsonl, results.parquet); generation accounting is kept. Prints the summary
on standard error and the run folder as the last line of standard output. To replay the
transcripts through today's tools too: evals run --provider replay --replay-from RUN.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from evals.config import DEFAULT_CASES

HELP = "re-grade a run's transcripts with today's graders"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", type=Path, metavar="RUN", help="the run folder to re-grade")
    parser.add_argument(
        "--cases",
        type=Path,
        default=DEFAULT_CASES,
        metavar="DIR",
        help="cases folder (default: %(default)s)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="samples graded in parallel (default: cores, %(default)s)",
    )
    parser.add_argument("--grader-mode", choices=["fresh", "warm"], default="fresh")
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
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress output")


def main(args: argparse.Namespace) -> int:
    from evals.config import RunOptions
    from evals.errors import UsageError
    from evals.regrade import regrade
    from evals.summary import render

    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    options = RunOptions(
        cases_dir=args.cases,
        workers=args.workers,
        grader_mode=args.grader_mode,
        isolation=args.isolation,
        unsafe_local=args.unsafe_local,
        quiet=args.quiet,
    )
    store = regrade(args.run, options)
    rows = store.results()
    if not args.quiet:
        print(render(store.read_info(), rows), file=sys.stderr)
    print(store.root)
    if rows and all(r.infra_error for r in rows):
        return 3
    return 0
