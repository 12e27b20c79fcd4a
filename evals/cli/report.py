"""(Re)write RUN/report.html: one self-contained page (no network), readable without JavaScript.

The report is written from the run folder alone (the cases it was run with are kept in
RUN/cases.json), so an old run still renders after the cases change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evals.config import DEFAULT_CASES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", type=Path, metavar="RUN", help="the run folder")
    parser.add_argument(
        "--cases",
        type=Path,
        default=DEFAULT_CASES,
        metavar="DIR",
        help="where to find the cases when the run has no cases.json yet (default: %(default)s)",
    )


def main(args: argparse.Namespace) -> int:
    from evals.report import write_report

    path = write_report(args.run, args.cases)
    print(path)
    print(f"report: {path}", file=sys.stderr)
    return 0
