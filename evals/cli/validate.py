"""Prove the golden suite sound: every reference and alternative passes every hidden test,
every mutant fails the tests it declares (it runs only those; ``--all-tests``: the whole suite,
listing what else it fails), every test is tagged with a known rule and cites the
case's requirements, every requirement has a test. ``--mutation`` instead puts generated faults
into each reference and reports the suite's mutation score and every survivor.

``--record-base-hashes`` records, in each case.toml, the hash of the tree each mutant overlays
(after the author has checked that mutants named stale still apply to their edited base).

Exits 1 on any violation (``--mutation``: a case under the mutation-score goal, a stale
equivalence, or a reference that does not pass).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from evals.cli.options import add_grading_flags, add_suite_flags, options_from
from evals.errors import UsageError

OWN_FLAGS = frozenset({"keep", "mutation", "record_base_hashes", "all_tests"})
"""What to do with the validation run; every other flag is a RunOptions field."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_suite_flags(parser)
    add_grading_flags(parser)
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep the validation run folder under DIR",
    )
    parser.add_argument(
        "--all-tests",
        action="store_true",
        help="grade each mutant on the whole hidden suite, not only the tests it declares, "
        "and list the tests it also fails without declaring them (slower; for authors)",
    )
    parser.add_argument(
        "--mutation",
        action="store_true",
        help="mutation testing: grade generated single-fault mutants of each reference "
        "(cosmic-ray operators) and list every survivor",
    )
    parser.add_argument(
        "--record-base-hashes",
        action="store_true",
        help="write each mutant's base_hash (the tree it overlays, as it is now) into its "
        "case.toml, then exit: run it once the mutants validate names stale still apply",
    )


def main(args: argparse.Namespace) -> int:
    from evals.validate import render, validate

    started = time.monotonic()
    options = options_from(args, own=OWN_FLAGS)
    if args.all_tests and (args.mutation or args.record_base_hashes):
        raise UsageError(
            "--all-tests applies to validation alone, not --mutation or --record-base-hashes"
        )
    if args.record_base_hashes:
        return _record_base_hashes(options.cases_dir, options.case_ids)
    if args.mutation:
        from evals.validate import mutation_testing

        return mutation_testing(options)
    reports, run_dir = validate(options, keep=args.keep, all_tests=args.all_tests)
    print(render(reports))
    print(f"validated {len(reports)} case(s) in {time.monotonic() - started:.1f}s", file=sys.stderr)
    if args.keep is None:
        import shutil

        shutil.rmtree(run_dir.parent, ignore_errors=True)
    return 0 if all(r.ok for r in reports) else 1


def _record_base_hashes(cases_dir: Path, only: tuple[str, ...]) -> int:
    from evals.cases import load_suite, record_base_hashes

    for case in load_suite(cases_dir, only):
        folder = Path(case.source)
        if not (folder / "case.toml").is_file():
            print(f"{case.id}: not a case folder (a dataset); nothing recorded", file=sys.stderr)
            continue
        for name in record_base_hashes(folder):
            print(f"{case.id}: mutant-{name}: base_hash recorded")
    return 0
