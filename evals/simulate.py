"""Synthetic agent runs with known effects, put through the real gate: is it calibrated, and
how much can it see?

A noisy agent is modelled per case. Each sample draws a latent quality ``z`` (shared by all
its hidden tests), a latent per prompt rule (shared by the tests of that rule) and per-test
noise; test ``t`` passes when ``mu + a_t + sqrt(.5) z + sqrt(.3) u_rule + sqrt(.2) e > 0``,
with fixed test difficulties ``a_t ~ N(0, 0.5)``. Tests within a sample are thus strongly
correlated, as real ones are (a broken endpoint fails every test that calls it). ``mu`` is set
so that the sample passes (every test passes) with the case's probability ``p``; cases draw
``p`` uniformly from a spread (0.30 to 0.95 by default, as measured agents spread). An effect
``drop`` lowers every case's ``p`` by that much (``mu`` moves accordingly, so failures also
get deeper, as a worse prompt's would).

Run pairs are built as in-memory :class:`~evals.baseline.RunSource` objects with real
:class:`~evals.records.SampleResult` rows (every case must-pass, as the suite declares) and
judged by :func:`evals.gate.compare`, so what is measured is the shipped gate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from evals.baseline import RunSource
from evals.gate import compare
from evals.records import GradeResult, RunInfo, SampleResult, TestOutcome, Usage
from evals.snapshot import CaseFacts, CaseSnapshot
from evals.thresholds import GateConfig
from graders.registry import IMPORTS, TESTS

LOADINGS = (math.sqrt(0.5), math.sqrt(0.3), math.sqrt(0.2))
"""Weights of the sample, rule and test latents (variances summing to 1)."""
DIFFICULTY_SD = 0.5
SPREAD = (0.3, 0.95)
CALIBRATION_DRAWS = 20_000
SUITE_TEST_COUNTS = (19, 15, 21, 17, 17, 31, 23, 27, 17, 22, 29, 23, 26, 32)
"""Hidden tests per case of the golden suite (README), for a shape without a run."""
RULES = ("api-design", "schemas", "errors", "auth", "database", "security", "docs")


@dataclass(frozen=True)
class CaseShape:
    """One case's hidden tests: ids and the rule each checks."""

    case_id: str
    tests: tuple[tuple[str, str], ...]


def default_shape() -> list[CaseShape]:
    """The golden suite's shape: 14 cases with its test counts, rules dealt round."""
    return [
        CaseShape(
            f"case-{i:02d}",
            tuple((f"test_{j:02d}", RULES[(i + j) % len(RULES)]) for j in range(n)),
        )
        for i, n in enumerate(SUITE_TEST_COUNTS)
    ]


def shape_of(rows: Iterable[SampleResult]) -> list[CaseShape]:
    """The cases and hidden tests (with their rules) a run graded."""
    tests: dict[str, dict[str, str]] = {}
    for row in rows:
        grade = row.grades.get(TESTS)
        if grade is None:
            continue
        case = tests.setdefault(row.case_id, {})
        for t in grade.tests:
            if t.rules or t.id not in case:
                case[t.id] = t.rules[0] if t.rules else case.get(t.id, "")
    return [CaseShape(c, tuple(sorted(ids.items()))) for c, ids in sorted(tests.items()) if ids]


class LatentCase:
    """The latent model of one case's hidden tests (see the module docstring)."""

    def __init__(self, shape: CaseShape, seed: int) -> None:
        import numpy as np

        rng = np.random.default_rng(seed)
        self.shape = shape
        rules = sorted({r for _, r in shape.tests})
        self.rule_of = np.array([rules.index(r) for _, r in shape.tests])
        self.n_rules = len(rules)
        self.difficulty = rng.normal(0.0, DIFFICULTY_SD, len(shape.tests))
        # P(every test passes | mu) = P(min over tests of (a_t + noise) > -mu): one quantile.
        worst = self._latent(CALIBRATION_DRAWS, rng).min(axis=1)
        self._worst = np.sort(worst)
        self.records = _outcomes(self)

    def _latent(self, k: int, rng):
        s, r, e = LOADINGS
        z = rng.standard_normal((k, 1))
        u = rng.standard_normal((k, self.n_rules))[:, self.rule_of]
        noise = rng.standard_normal((k, len(self.difficulty)))
        return self.difficulty + s * z + r * u + e * noise

    def mu(self, p: float) -> float:
        import numpy as np

        p = min(max(p, 1e-4), 1 - 1e-4)
        return -float(np.quantile(self._worst, 1 - p))

    def draw(self, p: float, k: int, rng):
        """``k`` samples' test outcomes (booleans, samples by tests)."""
        return (self.mu(p) + self._latent(k, rng)) > 0


def _outcomes(case: LatentCase) -> list[tuple[TestOutcome, TestOutcome]]:
    """Per test, its failed and passed outcome records (shared: the gate only reads them)."""

    def outcome(tid: str, rule: str, ok: bool) -> TestOutcome:
        return TestOutcome.model_construct(
            id=tid,
            outcome="passed" if ok else "failed",
            message="" if ok else f"E   AssertionError: {tid}",
            rules=[rule],
        )

    return [(outcome(tid, rule, False), outcome(tid, rule, True)) for tid, rule in case.shape.tests]


def _rows(case: LatentCase, outcomes, run_id: str) -> list[SampleResult]:
    # Every field given, shared records where the gate only reads: thousands of rows a second.
    n = len(case.shape.tests)
    rows = []
    for k, sample in enumerate(outcomes):
        tests = [pair[ok] for pair, ok in zip(case.records, sample.tolist(), strict=True)]
        good = int(sample.sum())
        passed = good == n
        grades = {
            TESTS: GradeResult.model_construct(
                grader=TESTS,
                score=good / n,
                passed=passed,
                infra_error=None,
                tests=tests,
                findings=[],
                details="",
                duration_s=0.0,
            ),
            IMPORTS: _IMPORTS_OK,
        }
        rows.append(
            SampleResult.model_construct(
                run_id=run_id, case_id=case.shape.case_id, variant="agent", sample=k,
                passed=passed, score=round(0.7 * good / n + 0.3, 4), expected_pass=None,
                grades=grades, rule_scores={}, infra_error=None, stop="end_turn", turns=0,
                usage=_NO_USAGE, cost_usd=0.0, gen_latency_s=0.0, grade_latency_s=0.0,
                sample_dir="",
            )
        )  # fmt: skip
    return rows


_IMPORTS_OK = GradeResult(grader=IMPORTS, score=1.0, passed=True)
_NO_USAGE = Usage()


def _source(run_id: str, agent: str, cases: Sequence[LatentCase], rows) -> RunSource:
    ids = [c.shape.case_id for c in cases]
    info = RunInfo(
        run_id=run_id, harness_version="sim", git_sha=None, agent_path="agent.md",
        agent_name="sim", agent_sha256=agent, agent_text="", model="sim", provider="sim",
        suite_hash="sim", case_ids=ids, samples=1, isolation="none",
        started_at="2026-01-01T00:00:00+00:00", finished_at="2026-01-01T00:00:01+00:00",
    )  # fmt: skip
    snapshot = CaseSnapshot(cases={c: CaseFacts(id=c, must_pass=True) for c in ids})
    return RunSource(Path(f"<{run_id}>"), info, rows, snapshot, "run")


def synthetic_pair(
    cases: Sequence[LatentCase], samples: int, drop: float, rng, spread=SPREAD
) -> tuple[RunSource, RunSource]:
    """A baseline and a candidate run, every case's pass probability lower by ``drop``."""
    base_rows: list[SampleResult] = []
    cand_rows: list[SampleResult] = []
    for case in cases:
        p = float(rng.uniform(*spread))
        base_rows += _rows(case, case.draw(p, samples, rng), "base")
        cand_rows += _rows(case, case.draw(max(p - drop, 0.0), samples, rng), "cand")
    agent_b, agent_c = "b" * 64, ("b" if not drop else "c") * 64
    return _source("base", agent_b, cases, base_rows), _source("cand", agent_c, cases, cand_rows)


@dataclass(frozen=True)
class Cell:
    samples: int
    drop: float
    runs: int
    failed: int
    """Runs in which the gate failed (exit 1)."""

    @property
    def rate(self) -> float:
        return self.failed / self.runs

    @property
    def error(self) -> float:
        """Monte Carlo standard error of the rate."""
        p = min(max(self.rate, 1 / self.runs), 1 - 1 / self.runs)
        return math.sqrt(p * (1 - p) / self.runs)


def gate_failure_rates(
    shape: Sequence[CaseShape],
    samples: Sequence[int],
    drops: Sequence[float],
    runs: int,
    *,
    seed: int = 0,
    config: GateConfig | None = None,
    spread: tuple[float, float] = SPREAD,
    progress=None,
) -> list[Cell]:
    """How often the real gate fails, per sample count and effect, over ``runs`` pairs."""
    import numpy as np

    config = config or GateConfig(iterations=400)
    cases = [LatentCase(s, seed + 1000 * i) for i, s in enumerate(shape)]
    cells = []
    for k in samples:
        for drop in drops:
            rng = np.random.default_rng([seed, k, round(drop * 1000)])
            failed = 0
            for i in range(runs):
                base, cand = synthetic_pair(cases, k, drop, rng, spread)
                failed += compare(base, cand, config).exit_code == 1
                if progress:
                    progress(k, drop, i + 1, runs)
            cells.append(Cell(k, drop, runs, failed))
    return cells


def render_table(cells: Sequence[Cell], predicted: dict[int, float] | None = None) -> str:
    """A markdown table: rows are sample counts, columns the no-op and each drop."""
    drops = sorted({c.drop for c in cells})
    ks = sorted({c.samples for c in cells})
    by = {(c.samples, c.drop): c for c in cells}
    head = ["samples per case"] + [
        "no-op edit: gate fails" if d == 0 else f"true {d * 100:.0f}-point drop: gate fails"
        for d in drops
    ]
    if predicted is not None:
        head.append("predicted power (evals plan)")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for k in ks:
        row = [str(k)]
        for d in drops:
            c = by[(k, d)]
            row.append(f"{c.rate:.1%} ± {c.error:.1%}")
        if predicted is not None:
            row.append(f"{predicted.get(k, math.nan):.0%}")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m evals.simulate``: the gate's false-alarm and power table (make power)."""
    import argparse
    import sys

    from evals import power as pw
    from evals.config import ROOT

    parser = argparse.ArgumentParser(
        prog="python -m evals.simulate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--samples", default="1,3,5,10,15,17,18,20", help="sample counts per case")
    parser.add_argument("--drops", default="0,0.1", help="effects (0 = no-op edit)")
    parser.add_argument("--runs", type=int, default=400, help="run pairs per cell")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--shape", type=Path, default=ROOT / "reports" / "baseline",
        help="run whose cases and hidden tests shape the synthetic suite (default: %(default)s)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    config = GateConfig(iterations=400)
    cases = len(default_shape())
    components = pw.assumed(cases)
    if args.shape.is_dir():
        from evals.baseline import open_run
        from evals.plan import make_plan

        source = open_run(args.shape)
        shape = shape_of(source.rows)
        components = make_plan(source, config).components  # what `evals plan` predicts
    else:
        shape = default_shape()
    ks = [int(x) for x in args.samples.split(",")]
    drops = [float(x) for x in args.drops.split(",")]

    def progress(k: int, drop: float, done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            print(f"  samples {k}, drop {drop:.2f}: {done}/{total}", file=sys.stderr, flush=True)

    cells = gate_failure_rates(
        shape, ks, drops, args.runs, seed=args.seed, config=config, progress=progress
    )
    cases = len(shape)
    alpha = config.alpha * config.suite_share
    effect = max(drops)
    predicted = {k: pw.power(components, effect, alpha, [k] * cases, [k] * cases) for k in ks}
    print(
        f"Synthetic agent runs shaped like {args.shape if args.shape.is_dir() else 'the suite'}"
        f" ({cases} cases, every case must-pass, pass probabilities uniform over "
        f"{SPREAD[0]}..{SPREAD[1]}, correlated hidden tests), {args.runs} run pairs per cell, "
        f"seed {args.seed}, the real gate (alpha {config.alpha}):\n"
    )
    print(render_table(cells, predicted if effect > 0 else None))
    noop = [c for c in cells if c.drop == 0]
    worst = max(noop, key=lambda c: c.rate, default=None)
    if worst is not None:
        print(f"\nWorst no-op false-alarm rate: {worst.rate:.1%} ± {worst.error:.1%} "
              f"(samples {worst.samples}); alpha {config.alpha:.0%}.")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
