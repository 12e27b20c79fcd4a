"""Grade one sample's final workspace with the graders its case selects.

The workspace is sanitized first (:func:`sanitize_workspace`): graders, the ruff batch and the
report read regular files the harness owns, never what the agent's Bash left as it was.
"""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

import graders
from evals import untrusted
from evals.cases import Case, Variant
from evals.errors import InfraError
from evals.execute import declared_tests
from evals.records import GradeResult
from evals.store import SampleLayout, atomic_write
from graders.base import GradeContext, SampleExecutor


def grade_workspace(
    case: Case,
    variant: Variant,
    workspace: Path,
    grade_dir: Path,
    executor: SampleExecutor,
    context: list[GradeContext] | None = None,
    measure_coverage: bool = False,
    declared_only: bool = False,
) -> tuple[dict[str, GradeResult], float]:
    """Every selected grader's result (infra failures are values, not exceptions).

    ``context``, when given, receives the grading context (its execution holds the raw
    observations, e.g. the coverage ``measure_coverage`` asked for). ``declared_only``: a
    mutant runs only the hidden tests it declares (:attr:`GradeContext.only_tests`)."""
    start = time.monotonic()
    sanitize_workspace(workspace)
    ctx = GradeContext(
        case=case,
        variant=variant,
        workspace=workspace,
        grade_dir=grade_dir,
        executor=executor,
        measure_coverage=measure_coverage,
        only_tests=_declared(case, variant) if declared_only else None,
    )
    if context is not None:
        context.append(ctx)
    results: dict[str, GradeResult] = {}
    for spec in case.graders:
        try:
            grader = graders.get(spec.name)
        except KeyError as exc:
            result = GradeResult(grader=spec.name, infra_error=str(exc))
        else:
            try:
                result = grader.grade(ctx)
            except Exception as exc:  # a grader bug must not lose the sample or the run
                result = GradeResult(
                    grader=spec.name, infra_error=f"grader crashed: {type(exc).__name__}: {exc}"
                )
        # Kept with the grade: whoever reads the row later (the gate setting flaky tests
        # aside) knows which grades decided the pass without the case at hand.
        results[spec.name] = result.model_copy(update={"required": spec.required})
    return results, time.monotonic() - start


def _declared(case: Case, variant: Variant) -> tuple[str, ...] | None:
    try:
        return declared_tests(case, variant)
    except InfraError:
        return None  # the suite cannot be collected: the tests grader reports why


def sanitize_workspace(workspace: Path) -> dict[str, str]:
    """Make ``workspace`` (a sample folder's) regular files and folders only; record what was
    removed beside it (:attr:`evals.store.SampleLayout.sanitized`)."""
    dropped = untrusted.sanitize_tree(workspace).dropped
    if dropped:
        record = SampleLayout(workspace.parent).sanitized
        previous: dict[str, str] = {}
        with contextlib.suppress(OSError, ValueError):
            previous = json.loads(untrusted.read_bytes(record, max_bytes=1_000_000))
        atomic_write(record, json.dumps({**previous, **dropped}, indent=1, sort_keys=True))
    return dropped
