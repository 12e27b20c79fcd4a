"""List the golden cases, or export them as a Hugging Face dataset (save_to_disk, offline).

    evals cases list
    evals cases export --format hf DIR

A saved dataset can be used anywhere a cases folder can: ``evals run --cases DIR``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evals.config import DEFAULT_CASES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # Subcommands, so flags may come before or after DIR (evals cases export --format hf DIR).
    actions = parser.add_subparsers(dest="action", required=True, metavar="{list,export}")
    listing = actions.add_parser("list", help="one line per case")
    export = actions.add_parser("export", help="write the cases as a Hugging Face dataset")
    export.add_argument("dest", nargs="?", type=Path, metavar="DIR", help="target folder")
    export.add_argument("--format", choices=["hf"], default="hf", help="export format")
    for sub in (parser, listing, export):
        sub.add_argument(
            "--cases",
            type=Path,
            default=argparse.SUPPRESS if sub is not parser else DEFAULT_CASES,
            metavar="DIR",
            help=f"cases folder or dataset (default: {DEFAULT_CASES})",
        )


def main(args: argparse.Namespace) -> int:
    from evals.cases import load_suite
    from evals.errors import UsageError

    cases = load_suite(args.cases)
    if args.action == "list":
        for case in cases:
            print(
                f"{case.id:<22} {case.kind:<15} {case.difficulty:<7} "
                f"tests {len(case.test_names):>3}  alternatives {len(case.alternatives)}  "
                f"mutants {len(case.mutants):>2}  {', '.join(case.tags)}"
            )
        return 0
    if args.dest is None:
        raise UsageError("export needs a target folder: evals cases export --format hf DIR")
    if args.dest.exists() and any(args.dest.iterdir()):
        raise UsageError(f"{args.dest} exists and is not empty")
    from evals.dataset import export_hf
    from evals.prompt import repo_partials

    export_hf(cases, args.dest, repo_partials())
    print(f"exported {len(cases)} case(s) to {args.dest}")
    return 0
