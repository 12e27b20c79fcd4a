"""How many samples per case a gate needs to catch a drop, and what that costs.

  evals plan reports/baseline
  evals plan reports/<run-id> --drop 0.1 --power 0.8

Estimates from RUN the variance components the gate's suite test depends on (each case's pass
probability, how deep failures go, how correlated hidden tests are within a sample), then
prints the power against every case dropping by --drop (default: the gate's tolerance) at the
suite's share of the gate's alpha, the samples per case that reach --power, and the tokens,
dollars and wall time a run of that size takes, interactive and with --batch, from RUN's own
accounting. A deterministic (offline) RUN has no noise to measure: the plan is for an agent
run of the same suite, with pass probabilities assumed to spread over --spread.

Exit codes: 0 a plan was printed, 2 usage or configuration error (missing run, bad value).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evals.config import DEFAULT_CASES, ROOT


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", type=Path, metavar="RUN", help="a run folder or recorded baseline")
    parser.add_argument(
        "--drop", type=float, metavar="X", help="smallest drop worth catching, 0-1 "
        "(default: the gate's tolerance)",
    )  # fmt: skip
    parser.add_argument("--power", type=float, metavar="X", help="target power (default 0.8)")
    parser.add_argument("--alpha", type=float, metavar="X", help="the gate's alpha")
    parser.add_argument(
        "--spread", type=float, nargs=2, metavar=("LO", "HI"),
        help="pass probabilities assumed for a deterministic run (default 0.3 0.95)",
    )  # fmt: skip
    parser.add_argument(
        "--config", type=Path, default=ROOT / "pyproject.toml", metavar="FILE",
        help="pyproject.toml holding [tool.evals.gate] (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--cases", type=Path, default=DEFAULT_CASES, metavar="DIR",
        help="cases folder, for runs recorded without cases.json (default: %(default)s)",
    )  # fmt: skip


def main(args: argparse.Namespace) -> int:
    from evals.baseline import open_run
    from evals.errors import UsageError
    from evals.plan import make_plan, render
    from evals.power import DEFAULT_SPREAD
    from evals.thresholds import load_config

    config = load_config(args.config, alpha=args.alpha, power=args.power)
    if args.drop is not None and not 0 < args.drop < 1:
        raise UsageError(f"--drop must be between 0 and 1, got {args.drop}")
    spread = tuple(args.spread) if args.spread else DEFAULT_SPREAD
    if not 0 <= spread[0] <= spread[1] <= 1:
        raise UsageError(f"--spread needs 0 <= LO <= HI <= 1, got {spread[0]} {spread[1]}")
    source = open_run(args.run, args.cases)
    if not source.rows:
        raise UsageError(f"{args.run} has no finished samples to plan from")
    print(render(make_plan(source, config, drop=args.drop, spread=spread)))
    return 0
