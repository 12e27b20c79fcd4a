"""Compare a candidate run with a baseline, case by case; exit 1 on a regression.

  evals gate --baseline reports/baseline --candidate reports/<run-id>
  evals gate --record-baseline reports/<run-id> --out reports/baseline

The verdict fails only on a regression the gate can stand behind. For agent runs every rule is
a test and together they fail a no-op edit at most --alpha of the time: a significant
suite-wide drop (a permutation test of every sample's pass and hidden tests), a must-pass case
significantly below a baseline that met the bar, or any case dropping significantly by at
least --case-tolerance. Offline runs (fixed programs) are compared exactly: a must-pass flip
fails. Flaky hidden tests never count. gate.md states each decision's statistic, interval and
the power the comparison had against a --tolerance drop, and warns (with the samples needed,
see evals plan) when the runs were too small to see it. Thresholds come from
[tool.evals.gate] in pyproject.toml; flags override them. Writes gate.md (a pull-request
comment, also appended to $GITHUB_STEP_SUMMARY when set) and compare.html into --out
(default: the candidate run), and prints gate.md.

Exit codes: 0 no regression, 1 regression, 2 usage or configuration error (missing run,
runs that cannot be paired), 3 infra errors kept the gate from judging.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evals.config import DEFAULT_CASES, ROOT


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--baseline", type=Path, metavar="RUN", help="baseline run or record")
    parser.add_argument("--candidate", type=Path, metavar="RUN", help="candidate run folder")
    parser.add_argument(
        "--record-baseline",
        type=Path,
        metavar="RUN",
        help="instead of comparing: record RUN as a compact baseline in --out",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where gate.md and compare.html go (default: the candidate run folder); "
        "with --record-baseline, the baseline folder",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=ROOT / "pyproject.toml",
        metavar="FILE",
        help="pyproject.toml holding [tool.evals.gate] (default: %(default)s)",
    )
    parser.add_argument(
        "--tolerance", type=float, metavar="X", help="smallest suite drop worth catching, 0-1"
    )
    parser.add_argument(
        "--case-tolerance", type=float, metavar="X", help="one case's pass-rate drop, 0-1"
    )
    parser.add_argument(
        "--alpha", type=float, metavar="X", help="chance of failing a no-op edit (all rules)"
    )
    parser.add_argument(
        "--correction", choices=["holm", "none"], help="adjustment of per-case p-values"
    )
    parser.add_argument(
        "--flip-below", type=float, metavar="X", help="a case fails below this pass rate"
    )
    parser.add_argument(
        "--max-infra-rate", type=float, metavar="X", help="infra-error share before exit 3"
    )
    parser.add_argument(
        "--must-pass",
        action="append",
        default=[],
        metavar="CASE",
        help="treat CASE as must-pass (repeatable; adds to case.toml and config)",
    )
    parser.add_argument(
        "--only-common",
        action="store_true",
        help="compare the cases both runs have instead of refusing different case sets",
    )
    parser.add_argument(
        "--allow-incomplete",
        action="append",
        default=[],
        metavar="CASE",
        help="compare an INCOMPLETE run (stopped by its cost cap) anyway, leaving CASE's "
        "missing samples out; every case with missing samples must be named (repeatable)",
    )
    parser.add_argument(
        "--cases",
        type=Path,
        default=DEFAULT_CASES,
        metavar="DIR",
        help="cases folder, for runs recorded without cases.json (default: %(default)s)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="do not print gate.md")


def main(args: argparse.Namespace) -> int:
    from evals.errors import UsageError

    if args.record_baseline is not None:
        if args.baseline is not None or args.candidate is not None:
            raise UsageError("--record-baseline cannot be combined with --baseline/--candidate")
        if args.out is None:
            raise UsageError("--record-baseline needs --out DIR (e.g. reports/baseline)")
        from evals.baseline import record_baseline
        from evals.completeness import completeness
        from evals.store import RunStore

        store = RunStore.open(args.record_baseline)
        state = completeness(store.read_info(), store.results())
        if not state.complete:
            raise UsageError(
                f"{state.banner(str(args.record_baseline))}. A baseline must be whole: "
                "finish the run first"
            )
        out = record_baseline(args.record_baseline, args.out, args.cases)
        print(f"baseline recorded in {out} (from {args.record_baseline})", file=sys.stderr)
        print(out)
        return 0
    if args.baseline is None or args.candidate is None:
        raise UsageError("give --baseline RUN and --candidate RUN (or --record-baseline RUN)")

    from evals.baseline import open_run
    from evals.compare import write_outputs
    from evals.gate import compare
    from evals.thresholds import load_config

    config = load_config(
        args.config,
        tolerance=args.tolerance,
        case_tolerance=args.case_tolerance,
        alpha=args.alpha,
        correction=args.correction,
        flip_below=args.flip_below,
        max_infra_rate=args.max_infra_rate,
        must_pass=tuple(args.must_pass),
    )
    baseline = open_run(args.baseline, args.cases, role="baseline")
    candidate = open_run(args.candidate, args.cases, role="candidate")
    banners = _incomplete(baseline, candidate, set(args.allow_incomplete))
    only_common = args.only_common or bool(banners)
    result = compare(baseline, candidate, config, only_common=only_common)
    if banners:
        from dataclasses import replace

        result = replace(result, incomplete=tuple(banners))
    out = args.out
    if out is None:
        if candidate.kind != "run":
            raise UsageError("the candidate is a recorded baseline: give --out DIR")
        out = candidate.path
    md_path, html_path = write_outputs(result, baseline, candidate, out)
    if not args.quiet:
        print(md_path.read_text(encoding="utf-8"))
    print(f"gate: {result.verdict} (exit {result.exit_code}); {md_path}, {html_path}",
          file=sys.stderr)  # fmt: skip
    return result.exit_code


def _incomplete(baseline, candidate, allowed: set[str]) -> list[str]:
    """The INCOMPLETE banners of the two runs; refused unless ``allowed`` names every case
    with missing samples (so no must-pass case drops out of the comparison unnoticed)."""
    from evals.completeness import completeness
    from evals.errors import UsageError

    banners = []
    for role, source in (("baseline", baseline), ("candidate", candidate)):
        state = completeness(source.info, source.rows)
        if state.complete:
            continue
        unnamed = [case for case in state.missing_cases if case not in allowed]
        if unnamed:
            flags = " ".join(f"--allow-incomplete {case}" for case in state.missing_cases)
            raise UsageError(
                f"the {role} is {state.banner(str(source.path))}. The gate will not compare "
                f"it as if it were whole: finish it, or name what the comparison leaves out "
                f"({flags})"
            )
        banners.append(f"{role} {state.banner(str(source.path))}")
    return banners
