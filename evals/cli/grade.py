"""Re-grade a run with today's graders: no model is called.

Runs the current graders on each sample's stored final workspace and rewrites the run's
results (results.jsonl, results.parquet); generation accounting is kept. The cases are read
from the folder the run was made from (``--cases`` names another). Prints the summary
on standard error and the run folder as the last line of standard output. To replay the
transcripts through today's tools too: evals run --provider replay --replay-from RUN.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evals.cli.options import add_cases_flag, add_grading_flags, options_from

OWN_FLAGS = frozenset({"run"})
"""The run folder to re-grade; every other flag is a RunOptions field."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", type=Path, metavar="RUN", help="the run folder to re-grade")
    add_cases_flag(parser)
    add_grading_flags(parser, out=False)


def main(args: argparse.Namespace) -> int:
    from evals.errors import UsageError
    from evals.regrade import regrade
    from evals.summary import render

    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    options = options_from(args, own=OWN_FLAGS)
    store = regrade(args.run, options)
    rows = store.results()
    if not args.quiet:
        print(render(store.read_info(), rows), file=sys.stderr)
    print(store.root)
    if rows and all(r.infra_error for r in rows):
        return 3
    return 0
