"""What one sandboxed execution brings back besides the verdict: where its time went."""

from __future__ import annotations

from evals import sandbox as sb
from evals.cases import REFERENCE, load_case
from evals.config import DEFAULT_CASES
from evals.workspace import Workspace
from graders.base import GradeContext
from graders.execution import Executor


def test_an_execution_reports_the_time_of_each_driver_phase(tmp_path):
    case = load_case(DEFAULT_CASES / "user-registration")
    workspace = tmp_path / "workspace"
    Workspace.create(workspace, case.workspace)
    Workspace.create(workspace, case.solution_overlay(REFERENCE))
    executor = Executor(sb.Sandbox(sb.choose_level("auto")))
    ctx = GradeContext(
        case=case, variant=REFERENCE, workspace=workspace, grade_dir=tmp_path / "grade",
        executor=executor,
    )  # fmt: skip
    execution = executor.execute(ctx)
    assert execution.infra_error is None
    assert list(execution.phases) == ["setup", "imports", "openapi", "pytest"]
    assert all(seconds >= 0 for seconds in execution.phases.values())
