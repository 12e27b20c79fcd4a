"""Grade the whole reference suite in both grader modes, on the same samples, in one run.

Every known solution (references, alternatives, mutants) of every loadable case becomes a
workspace once; then:

1. a serial pass grades each sample fresh and warm back to back (alternating which goes
   first), so both modes see the same load at the same moment: per-sample wall time and the
   time of the sandboxed execution alone;
2. two more passes grade every sample warm on 1 worker, then on N (and, on request, fresh
   too), back to back: the 1-vs-N scaling;
3. the verdicts of every pass are compared with fresh mode's, which is the reference.

Ruff is announced per pass as the runner does it (one call for the whole batch).
"""

from __future__ import annotations

import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.cases import Case, Variant, load_case
from evals.errors import CaseError
from evals.execute import Execution, Executor, expected_test_ids, fuzzes
from evals.execute.warm_pool import WarmExecutor
from evals.grade import grade_workspace
from evals.records import GradeResult
from evals.workspace import Workspace
from graders.ruff_batch import BATCH

Verdict = tuple[Any, ...]


@dataclass(frozen=True)
class Sample:
    case: Case
    variant: Variant
    workspace: Path

    @property
    def label(self) -> str:
        return f"{self.case.id}/{self.variant.label}"


@dataclass(frozen=True)
class Graded:
    """One grading of one sample."""

    wall_s: float
    """grade_workspace end to end: every grader of the case."""
    exec_s: float
    """The sandboxed import check + hidden suite alone (what the grader mode changes)."""
    verdict: Verdict
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds per driver phase as the sandboxed process measured them, plus ``tests``: the
    hidden tests' own call time (what no grader mode can remove)."""


@dataclass
class GradingBench:
    samples: list[Sample]
    skipped: dict[str, str]
    fresh: dict[str, Graded] = field(default_factory=dict)
    warm: dict[str, Graded] = field(default_factory=dict)
    passes: dict[tuple[str, int], dict[str, Graded]] = field(default_factory=dict)
    """(mode, workers) -> sample label -> grading, from the scaling passes."""
    pass_wall_s: dict[tuple[str, int], float] = field(default_factory=dict)
    workers: int = 1
    startup_s: list[float] = field(default_factory=list)
    fallbacks: dict[str, int] = field(default_factory=dict)


def load_cases(cases_dir: Path, only: list[str]) -> tuple[list[Case], dict[str, str]]:
    """Every case that loads; the others are reported, not fatal (the suite grows)."""
    cases, skipped = [], {}
    folders = [cases_dir / c for c in only] if only else sorted(cases_dir.iterdir())
    for folder in folders:
        if not folder.is_dir() or folder.name.startswith((".", "_")):
            continue
        try:
            cases.append(load_case(folder))
        except CaseError as exc:
            skipped[folder.name] = str(exc)
    return cases, skipped


def materialize(cases: list[Case], root: Path) -> list[Sample]:
    samples = []
    for case in cases:
        for variant in case.variants():
            workspace = root / case.id / variant.label / "workspace"
            Workspace.create(workspace, case.workspace)
            Workspace.create(workspace, case.solution_overlay(variant))
            samples.append(Sample(case, variant, workspace))
    return samples


def verdict_of(grades: dict[str, GradeResult]) -> Verdict:
    """What must not differ between modes: per grader pass/score/infra, per test outcome."""
    return tuple(
        (
            name,
            g.passed,
            round(g.score, 4),
            g.infra_error is not None,
            tuple((t.id, t.outcome) for t in g.tests),
        )
        for name, g in sorted(grades.items())
    )


class _Timed:
    """An executor wrapper that times each execution (per workspace, thread-safe)."""

    def __init__(self, inner: Executor | WarmExecutor) -> None:
        self.inner = inner
        self.mode = inner.mode
        self.times: dict[Path, float] = {}
        self.phases: dict[Path, dict[str, float]] = {}
        self._lock = threading.Lock()

    def execute(self, ctx: Any) -> Execution:
        start = time.monotonic()
        execution = self.inner.execute(ctx)
        tests = sum(float(e.get("duration") or 0) for e in execution.tests_reported())
        with self._lock:
            self.times[ctx.workspace] = time.monotonic() - start
            self.phases[ctx.workspace] = {**execution.phases, "tests": tests}
        return execution


def _grade(sample: Sample, timed: _Timed, grade_dir: Path) -> Graded:
    start = time.monotonic()
    grades, _ = grade_workspace(
        sample.case,
        sample.variant,
        sample.workspace,
        grade_dir,
        timed,  # type: ignore[arg-type]
    )
    wall = time.monotonic() - start
    exec_s = timed.times.get(sample.workspace, 0.0)
    phases = timed.phases.get(sample.workspace, {})
    return Graded(wall_s=wall, exec_s=exec_s, verdict=verdict_of(grades), phases=phases)


def run_grading_bench(
    cases_dir: Path,
    only: list[str],
    sandbox: Any,
    *,
    workers: int,
    fresh_scaling: bool,
    progress: Any,
) -> GradingBench:
    cases, skipped = load_cases(cases_dir, only)
    root = Path(tempfile.mkdtemp(prefix="evals-bench-"))
    samples = materialize(cases, root / "samples")
    bench = GradingBench(samples=samples, skipped=skipped, workers=workers)
    for case in cases:  # the harness collects each suite once per process: not timed
        expected_test_ids(case)
    fresh = Executor(sandbox)
    with WarmExecutor(sandbox, fuzz=any(map(fuzzes, cases))) as warm:
        warm.start(max(workers, 1))
        bench.startup_s = list(warm.stats.startup_s)

        for sample in samples:
            BATCH.submit(sample.workspace)
            BATCH.submit(sample.workspace)
        timed_fresh, timed_warm = _Timed(fresh), _Timed(warm)
        for i, sample in enumerate(samples):
            order = [("fresh", timed_fresh), ("warm", timed_warm)]
            for mode, timed in order if i % 2 == 0 else order[::-1]:
                graded = _grade(sample, timed, root / "grades" / mode / sample.label)
                getattr(bench, mode)[sample.label] = graded
            progress(
                f"[{i + 1:>3}/{len(samples)}] {sample.label:<50} fresh "
                f"{bench.fresh[sample.label].wall_s * 1000:>6.0f} ms  warm "
                f"{bench.warm[sample.label].wall_s * 1000:>6.0f} ms"
            )

        # Scaling: 1 worker, then N, back to back, so both see about the same load.
        passes: list[tuple[str, Executor | WarmExecutor]] = [("warm", warm)]
        if fresh_scaling:
            passes.append(("fresh", fresh))
        for mode, executor in passes:
            for count in (1, workers):
                progress(f"{mode}, {count} worker(s) ...")
                results, wall = _pass(
                    samples, executor, count, root / "grades" / f"{mode}-x{count}"
                )
                bench.passes[(mode, count)] = results
                bench.pass_wall_s[(mode, count)] = wall
        bench.fallbacks = dict(warm.stats.fallbacks)
    return bench


def _pass(
    samples: list[Sample], executor: Executor | WarmExecutor, workers: int, where: Path
) -> tuple[dict[str, Graded], float]:
    for sample in samples:
        BATCH.submit(sample.workspace)
    timed = _Timed(executor)
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        graded = dict(pool.map(lambda s: (s.label, _grade(s, timed, where / s.label)), samples))
    return graded, time.monotonic() - start


def verdict_diff(bench: GradingBench) -> list[str]:
    """Every sample whose verdict differs from fresh mode's, in any pass."""
    diffs = []
    runs = {"warm": bench.warm, **{f"{m} x{n}": r for (m, n), r in bench.passes.items()}}
    for name, results in runs.items():
        for label, graded in results.items():
            reference = bench.fresh.get(label)
            if reference is not None and graded.verdict != reference.verdict:
                diffs.append(f"{label} ({name}): {_describe(reference.verdict, graded.verdict)}")
    return diffs


def _describe(fresh: Verdict, other: Verdict) -> str:
    a, b = {v[0]: v for v in fresh}, {v[0]: v for v in other}
    parts = []
    for grader in sorted(set(a) | set(b)):
        if a.get(grader) != b.get(grader):
            fa, fb = a.get(grader), b.get(grader)
            if fa and fb and fa[4] != fb[4]:
                was = [t for t in fa[4] if t not in fb[4]][:3]
                now = [t for t in fb[4] if t not in fa[4]][:3]
                parts.append(f"{grader}: tests fresh {was} vs {now}")
            else:
                parts.append(f"{grader}: fresh {fa and fa[1:4]} vs {fb and fb[1:4]}")
    return "; ".join(parts)
