"""python -m evals.bench [--case ID]... [--workers N] [--fresh-scaling] [--json FILE]"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path

from evals.config import DEFAULT_CASES, default

GOALS = {
    "speedup": 5.0,
    "scaling": 1.8,
    "generation_overhead": 0.05,
    "help_s": 0.3,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench", description=__doc__)
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES, metavar="DIR")
    parser.add_argument("--case", action="append", default=[], dest="case_ids", metavar="ID")
    parser.add_argument(
        "--workers", type=int, default=default("workers"), metavar="N",
        help="workers of the scaling pass (default: cores, %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--fresh-scaling", action="store_true", help="also grade fresh on N workers (slow)"
    )
    parser.add_argument(
        "--skip", action="append", default=[], choices=["grading", "startup", "generation"]
    )
    parser.add_argument("--gen-samples", type=int, default=16)
    parser.add_argument("--gen-concurrency", type=int, default=8)
    parser.add_argument(
        "--gen-latency", type=float, action="append", metavar="SECONDS",
        help="latency per turn of the fake API (repeatable; default: 0.5 and 2.0)",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw figures")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every sample")
    args = parser.parse_args(argv)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    figures: dict[str, object] = {"machine": _machine()}
    lines = [f"evals bench  ({figures['machine']})", ""]
    status = 0

    if "startup" not in args.skip:
        from evals.bench.startup import run_startup_bench

        say("timing evals --help ...")
        startup = run_startup_bench()
        figures["startup"] = asdict(startup)
        heavy = ", ".join(startup.heavy_loaded) or "none"
        lines += [
            f"evals --help     median {startup.median_s * 1000:.0f} ms over "
            f"{len(startup.runs_s)} runs (min {min(startup.runs_s) * 1000:.0f} ms)  "
            f"{_goal(startup.median_s < GOALS['help_s'], '< 300 ms')}",
            f"                 heavy modules imported by --help: {heavy}",
            "",
        ]

    if "generation" not in args.skip:
        from evals.bench.generation import run_generation_bench

        say("generation against the fake Messages API ...")
        cold, runs = run_generation_bench(
            samples=args.gen_samples,
            concurrency=args.gen_concurrency,
            latencies=tuple(args.gen_latency or (0.5, 2.0)),
        )
        figures["generation"] = {
            "cold": asdict(cold) | {"overhead": cold.overhead},
            "steady": [asdict(g) | {"overhead": g.overhead} for g in runs],
        }
        first = runs[0]
        lines.append(
            f"generation       {first.samples} samples x {first.turns} turns at concurrency "
            f"{first.concurrency} against the fake Messages API (first request to last reply)"
        )
        for gen in runs:
            ok = gen.overhead <= GOALS["generation_overhead"]
            lines.append(
                f"                 {gen.latency_s * 1000:>5.0f} ms per turn: ideal "
                f"{gen.ideal_s:.2f} s, actual {gen.actual_s:.2f} s: overhead "
                f"{gen.overhead:+.1%} ({gen.per_turn_ms:.0f} ms per turn)  {_goal(ok, '<= 5%')}"
            )
        lines += [
            f"                 (first run in the process, {cold.latency_s * 1000:.0f} ms per "
            f"turn: {cold.overhead:+.1%}; a whole run incl. start-up and grading: "
            f"{first.run_s:.2f} s)",
            "",
        ]

    if "grading" not in args.skip:
        status = _grading(args, figures, lines, say)

    print("\n".join(lines))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, default=str))
    return status


def _grading(
    args: argparse.Namespace, figures: dict, lines: list[str], say: Callable[[str], None]
) -> int:
    from evals.bench.grading import run_grading_bench, verdict_diff
    from evals.bench.storage import commit_latency_ms
    from evals.execute.sandbox import Sandbox, choose_level

    level = choose_level("auto")
    say(f"grading the reference suite in both modes (isolation {level}) ...")
    started = time.monotonic()
    bench = run_grading_bench(
        args.cases, args.case_ids, Sandbox(level), workers=args.workers,
        fresh_scaling=args.fresh_scaling, progress=say if args.verbose else (lambda _m: None),
    )  # fmt: skip
    elapsed = time.monotonic() - started
    n = len(bench.samples)
    if not n:
        lines.append("grading          no loadable case")
        return 0
    ms = lambda values: statistics.fmean(values) * 1000  # noqa: E731
    fresh = [bench.fresh[s.label] for s in bench.samples]
    warm = [bench.warm[s.label] for s in bench.samples]
    speedup = sum(g.wall_s for g in fresh) / sum(g.wall_s for g in warm)
    exec_speedup = sum(g.exec_s for g in fresh) / sum(g.exec_s for g in warm)
    ratios = sorted(f.wall_s / w.wall_s for f, w in zip(fresh, warm, strict=True))
    cases = sorted({s.case.id for s in bench.samples})
    lines.append(
        f"grading          {n} samples of {len(cases)} cases (references, alternatives, "
        f"mutants), isolation {level}, {elapsed:.0f} s in all"
    )
    if bench.skipped:
        lines.append(f"                 skipped (do not load): {', '.join(sorted(bench.skipped))}")
    lines += [
        "",
        f"  {'case':<22}{'samples':>8}{'fresh ms':>10}{'warm ms':>9}{'speed-up':>10}",
    ]
    for case_id in cases:
        labels = [s.label for s in bench.samples if s.case.id == case_id]
        f = ms([bench.fresh[x].wall_s for x in labels])
        w = ms([bench.warm[x].wall_s for x in labels])
        lines.append(f"  {case_id:<22}{len(labels):>8}{f:>10.0f}{w:>9.0f}{f / w:>9.1f}x")
    lines += [
        f"  {'all (mean per sample)':<22}{n:>8}{ms([g.wall_s for g in fresh]):>10.0f}"
        f"{ms([g.wall_s for g in warm]):>9.0f}{speedup:>9.1f}x  "
        f"{_goal(speedup >= GOALS['speedup'], '>= 5x')}",
        "",
        f"  per-sample speed-up: median {statistics.median(ratios):.1f}x, "
        f"min {ratios[0]:.1f}x, max {ratios[-1]:.1f}x",
        f"  sandboxed execution alone (import check + hidden suite): fresh "
        f"{ms([g.exec_s for g in fresh]):.0f} ms, warm {ms([g.exec_s for g in warm]):.0f} ms "
        f"({exec_speedup:.1f}x)",
    ]
    lines += _breakdown(fresh, warm)
    disk, tmpfs = commit_latency_ms()
    lines.append(
        f"  SQLite commit: {disk:.2f} ms on the scratch disk (fresh), {tmpfs:.2f} ms on tmpfs "
        "(warm keeps the sample's database on its sandbox's tmpfs)"
    )
    startup = ", ".join(f"{s:.1f}" for s in bench.startup_s)
    lines.append(f"  warm pool start-up (once per run): {startup} s per worker")
    for mode in ("warm", "fresh"):
        one, many = bench.pass_wall_s.get((mode, 1)), bench.pass_wall_s.get((mode, bench.workers))
        if one is None or many is None:
            continue
        scaling = one / many
        goal = _goal(scaling >= GOALS["scaling"], ">= 1.8x") if bench.workers == 2 else ""
        lines.append(
            f"  scaling ({mode}): 1 worker {one / n * 1000:.0f} ms/sample, {bench.workers} "
            f"workers {many / n * 1000:.0f} ms/sample: {scaling:.2f}x  {goal}"
        )
    fallbacks = ", ".join(f"{k}: {v}" for k, v in bench.fallbacks.items()) or "none"
    lines.append(f"  samples warm mode graded fresh instead: {fallbacks}")
    diffs = verdict_diff(bench)
    runs = 1 + len(bench.passes)
    lines.append(
        f"  verdict diff vs fresh ({n} samples x {runs} pass(es)): "
        + ("empty" if not diffs else f"{len(diffs)} DIFFERENCE(S)")
    )
    lines += [f"    {d}" for d in diffs]
    if args.verbose:
        lines += ["", f"  {'sample':<58}{'fresh ms':>9}{'warm ms':>9}"]
        for s in bench.samples:
            lines.append(
                f"  {s.label:<58}{bench.fresh[s.label].wall_s * 1000:>9.0f}"
                f"{bench.warm[s.label].wall_s * 1000:>9.0f}"
            )
    figures["grading"] = {
        "samples": n,
        "level": level,
        "speedup": speedup,
        "exec_speedup": exec_speedup,
        "fresh_ms": {s.label: bench.fresh[s.label].wall_s * 1000 for s in bench.samples},
        "warm_ms": {s.label: bench.warm[s.label].wall_s * 1000 for s in bench.samples},
        "pass_wall_s": {f"{m} x{k}": v for (m, k), v in bench.pass_wall_s.items()},
        "startup_s": bench.startup_s,
        "fallbacks": bench.fallbacks,
        "verdict_diff": diffs,
        "skipped": bench.skipped,
    }
    return 1 if diffs else 0


def _breakdown(fresh: list, warm: list) -> list[str]:
    """Where a sample's time goes in each mode (means, ms): what warm mode removes, and the
    hidden tests' own run time, which bounds any speed-up (Amdahl)."""
    lines = [
        "  where a sample's time goes (mean ms):",
        f"    {'mode':<7}{'total':>7}{'harness':>9}{'start-up':>10}{'app up':>9}"
        f"{'openapi':>9}{'pytest':>8}{'of which tests':>16}",
    ]
    means = {}
    for mode, graded in (("fresh", fresh), ("warm", warm)):
        m = {key: _mean_ms(g.phases.get(key, 0.0) for g in graded) for key in PHASES}
        m["total"] = _mean_ms(g.wall_s for g in graded)
        execution = _mean_ms(g.exec_s for g in graded)
        # start-up: the judge's own start (the sandbox, the interpreter or the fork, its
        # set-up); app up: the judge waiting for the app to import and serve (the app starts
        # alongside); harness: everything outside the execution.
        startup = execution - m["app-start"] - m["openapi"] - m["pytest"]
        lines.append(
            f"    {mode:<7}{m['total']:>7.0f}{m['total'] - execution:>9.0f}{startup:>10.0f}"
            f"{m['app-start']:>9.0f}{m['openapi']:>9.0f}{m['pytest']:>8.0f}{m['tests']:>16.0f}"
        )
        means[mode] = m
    if means["warm"]["tests"] > 0:
        lines.append(
            f"    ceiling: a warm sample that spent nothing but its tests' own time would be "
            f"{means['fresh']['total'] / means['warm']['tests']:.1f}x faster than fresh"
        )
    return lines


PHASES = ("app-start", "openapi", "pytest", "tests")


def _mean_ms(seconds: Iterable[float]) -> float:
    return statistics.fmean(seconds) * 1000


def _goal(ok: bool, text: str) -> str:
    return f"[goal {text}: {'met' if ok else 'NOT met'}]"


def _machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {load:.1f}"


if __name__ == "__main__":
    raise SystemExit(main())
