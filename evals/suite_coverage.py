"""How much of a known solution its case's hidden suite runs: line and branch coverage.

The app is served under coverage.py in its sandbox (``evals_runtime.serve``, only when a
job asks for it); it writes the arcs it executed, and the analysis is done here, against
the solution's files as the harness wrote them. Measured over the files a solution adds or
changes (its overlay), since the starting workspace is not what the suite is there to check.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from evals.cases import Case, GraderSpec, Variant
from evals.records import GradeResult
from evals.store import SampleLayout
from evals.workspace import Workspace
from graders.base import GradeContext, SampleExecutor
from graders.registry import TESTS

LINE_GOAL = 0.95
"""Line coverage of its reference every case's suite must reach (cases/README.md)."""


@dataclass
class FileCoverage:
    path: str
    statements: int
    covered_lines: int
    branches: int
    covered_branches: int
    missing: list[int] = field(default_factory=list)


@dataclass
class SolutionCoverage:
    variant: str
    files: list[FileCoverage] = field(default_factory=list)
    error: str = ""

    @property
    def line_rate(self) -> float:
        total = sum(f.statements for f in self.files)
        return sum(f.covered_lines for f in self.files) / total if total else 0.0

    @property
    def branch_rate(self) -> float:
        total = sum(f.branches for f in self.files)
        return sum(f.covered_branches for f in self.files) / total if total else 1.0


def measure(
    case: Case, variant: Variant, executor: SampleExecutor, also: tuple[str, ...] = ()
) -> tuple[SolutionCoverage, dict[str, GradeResult]]:
    """Grade ``variant`` of ``case`` with coverage on and analyse its overlay's Python files.

    Graded with the ``tests`` grader and the graders named in ``also`` (their results are
    returned with the coverage: the same execution serves both)."""
    from evals.grade import grade_workspace

    overlay = case.solution_overlay(variant)
    tree = {**case.workspace, **overlay}
    result = SolutionCoverage(variant.label)
    with tempfile.TemporaryDirectory(prefix="evals-coverage-") as scratch:
        root = Path(scratch)
        sample = SampleLayout(root)
        workspace = sample.workspace
        Workspace.create(workspace, tree)
        graders = (GraderSpec(TESTS, 1.0, True), *(GraderSpec(n, 1.0, False) for n in also))
        # Tracing slows the app down: the probe gets twice the case's limit, so a suite that
        # fits the limit untraced is measured whole (the verdict passes keep the real one).
        probe = dataclasses.replace(case, graders=graders, timeout_s=2 * case.timeout_s)
        contexts: list[GradeContext] = []
        grades, _ = grade_workspace(
            probe,
            variant,
            workspace,
            sample.grading.root,
            executor,
            contexts,
            measure_coverage=True,
        )
        if grades[TESTS].infra_error or not grades[TESTS].passed:
            result.error = grades[TESTS].infra_error or grades[TESTS].details
            return result, grades
        arcs = contexts[0].execution().arcs
        measured = sorted(rel for rel in overlay if rel.endswith(".py"))
        result.files = analyse(workspace, measured, arcs, root / "data")
    return result, grades


def analyse(
    workspace: Path, files: list[str], arcs: dict[str, set[tuple[int, int]]], scratch: Path
) -> list[FileCoverage]:
    """coverage.py's own analysis of ``files`` given the executed ``arcs``."""
    from coverage import Coverage, CoverageData

    scratch.mkdir(parents=True, exist_ok=True)
    data_file = scratch / ".coverage"
    data = CoverageData(basename=str(data_file))
    data.add_arcs({str(workspace / rel): arcs.get(rel, set()) for rel in files})
    data.write()
    cov = Coverage(data_file=str(data_file), branch=True, config_file=False)
    cov.load()
    out = scratch / "coverage.json"
    cov.json_report(
        morfs=[str(workspace / rel) for rel in files], outfile=str(out), ignore_errors=True
    )
    report = json.loads(out.read_text())["files"]
    result = []
    for rel in files:
        entry = report.get(str(workspace / rel))
        if entry is None:  # nothing measurable in it (an empty __init__.py)
            continue
        summary = entry["summary"]
        result.append(
            FileCoverage(
                path=rel,
                statements=summary["num_statements"],
                covered_lines=summary["covered_lines"],
                branches=summary.get("num_branches", 0),
                covered_branches=summary.get("covered_branches", 0),
                missing=list(entry["missing_lines"]),
            )
        )
    return result
