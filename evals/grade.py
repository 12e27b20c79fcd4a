"""Grade one sample's final workspace with the graders its case selects."""

from __future__ import annotations

import time
from pathlib import Path

import graders
from evals.cases import Case, Variant
from evals.records import GradeResult
from graders.base import GradeContext, SampleExecutor


def grade_workspace(
    case: Case, variant: Variant, workspace: Path, grade_dir: Path, executor: SampleExecutor
) -> tuple[dict[str, GradeResult], float]:
    """Every selected grader's result (infra failures are values, not exceptions)."""
    start = time.monotonic()
    ctx = GradeContext(
        case=case, variant=variant, workspace=workspace, grade_dir=grade_dir, executor=executor
    )
    results: dict[str, GradeResult] = {}
    for spec in case.graders:
        try:
            grader = graders.get(spec.name)
        except KeyError as exc:
            results[spec.name] = GradeResult(grader=spec.name, infra_error=str(exc))
            continue
        try:
            results[spec.name] = grader.grade(ctx)
        except Exception as exc:  # a grader bug must not lose the sample or the run
            results[spec.name] = GradeResult(
                grader=spec.name, infra_error=f"grader crashed: {type(exc).__name__}: {exc}"
            )
    return results, time.monotonic() - start
