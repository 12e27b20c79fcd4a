"""Flaky hidden tests: found by grading the same program twice, reported, never a regression."""

from __future__ import annotations

from runfactory import GOOD_MAIN, TESTS, Sample, agent_samples, make_run

from evals import flaky
from evals.baseline import open_run
from evals.cases import Variant, load_case
from evals.execute import Executor, Sandbox, choose_level
from evals.flaky import describe, flaky_between, flaky_tests, mark, passed_without
from evals.gate import compare
from evals.grade import grade_workspace
from evals.records import GradeResult, SampleResult, TestOutcome
from evals.store import RunStore
from evals.thresholds import GateConfig
from evals.workspace import Workspace
from tests.conftest import MINIMAL_TOML


def test_a_test_whose_outcome_differs_between_two_gradings_is_flaky(tmp_path):
    first = open_run(make_run(tmp_path / "a", [Sample("users", True)], run_id="r")).rows
    second = open_run(make_run(tmp_path / "b", [Sample("users", False)], run_id="r")).rows
    found = flaky_between(first, second)
    assert found == {("users", "agent", 0): [TESTS[0]]}
    marked = mark(second, found)
    assert flaky_tests(marked) == {"users": {TESTS[0]}}
    assert mark(marked, found) == marked  # marking twice changes nothing
    assert passed_without(marked[0], {TESTS[0]}) and not passed_without(marked[0], set())
    assert describe(found) == [
        f"flaky: users: {TESTS[0]} (outcome changed on a second grading of agent-0); "
        "the gate ignores it"
    ]


def test_the_gate_never_counts_a_test_marked_flaky(tmp_path):
    base = make_run(tmp_path / "b", [*agent_samples("users", 8, 8), *agent_samples("crud", 8, 8)],
                    run_id="b", must_pass=("users",))  # fmt: skip
    cand = make_run(tmp_path / "c", [*agent_samples("users", 0, 8), *agent_samples("crud", 8, 8)],
                    run_id="c", must_pass=("users",), agent_text="edited")  # fmt: skip
    assert compare(open_run(base), open_run(cand), GateConfig()).exit_code == 1
    store = RunStore.open(cand)
    rows = store.results()
    store.rewrite_results(mark(rows, {rows[0].key: [TESTS[0]]}))  # found by evals grade
    result = compare(open_run(base), open_run(cand), GateConfig())
    assert result.exit_code == 0, result.reasons
    users = next(u for u in result.units if u.case_id == "users")
    assert users.cand.passed == 8 and users.flaky == (TESTS[0],)
    assert users.tests[0].flaky
    assert any("Flaky hidden tests" in note and TESTS[0] in note for note in result.notes)


def test_offline_a_changed_outcome_on_unchanged_code_is_flaky_not_a_flip(tmp_path):
    def offline(name: str, sample: Sample):
        return make_run(tmp_path / name, [sample], run_id=name, provider="reference",
                        must_pass=("users",))  # fmt: skip

    base = offline("b", Sample("users", True, variant="reference", expected_pass=True))
    same_code = offline("c", Sample("users", False, variant="reference",
                                    files={"app/main.py": GOOD_MAIN}))  # fmt: skip
    result = compare(open_run(base), open_run(same_code), GateConfig())
    assert result.exit_code == 0, result.reasons
    assert result.flaky == (("users / reference", TESTS[0]),)
    # A stand-in (different code failing the same test) is still an exact regression.
    stand_in = offline("d", Sample("users", False, variant="reference"))
    result = compare(open_run(base), open_run(stand_in), GateConfig())
    assert result.exit_code == 1
    assert result.reasons[0].startswith("users / reference: must-pass case flipped pass → fail")


def test_a_second_grading_keeps_earlier_marks_and_adds_new_ones(tmp_path):
    from evals.flaky import regrade_check

    first = open_run(make_run(tmp_path / "a", [Sample("users", True)], run_id="r")).rows
    first = mark(first, {first[0].key: [TESTS[2]]})  # marked by an earlier grading
    second = open_run(make_run(tmp_path / "b", [Sample("users", False)], run_id="r")).rows
    rows, lines = regrade_check(first, second)
    assert flaky_tests(rows) == {"users": {TESTS[0], TESTS[2]}}
    assert len(lines) == 1 and TESTS[0] in lines[0]


def test_two_gradings_of_one_program_name_exactly_the_tests_that_moved():
    def grade(outcomes, infra=""):
        tests = [TestOutcome(id=i, outcome=o) for i, o in outcomes.items()]
        return GradeResult(grader="tests", score=0.0, passed=False, tests=tests, infra_error=infra)

    first = grade({"test_a": "passed", "test_b": "passed", "test_c": "failed"})
    second = grade(
        {"test_a": "failed", "test_b": "passed", "test_c": "failed", "test_new": "failed"}
    )
    assert flaky.moved(first, second) == ["test_a"]
    # An infra-errored grading (or none) says nothing about any test.
    assert flaky.moved(first, grade({}, infra="timeout")) == []
    assert flaky.moved(None, second) == []


def test_a_flaky_failure_is_set_aside_only_when_the_rest_passes_as_the_case_decides():
    """Whether another failing grade still fails the sample is the case's choice, recorded
    with the grade: ruff is optional by default, but a case may make it decide."""
    tests = GradeResult(
        grader="tests",
        passed=False,
        required=True,
        tests=[
            TestOutcome(id="test_ok", outcome="passed"),
            TestOutcome(id="test_flaky", outcome="failed"),
        ],
    )

    def row(ruff: GradeResult) -> SampleResult:
        return SampleResult(
            run_id="r", case_id="users", variant="agent", sample=0, passed=False, score=0.5,
            grades={"tests": tests, "ruff": ruff},
        )  # fmt: skip

    failing_ruff = GradeResult(grader="ruff", passed=False, score=0.5)
    decides = row(failing_ruff.model_copy(update={"required": True}))
    informs = row(failing_ruff.model_copy(update={"required": False}))
    older = row(failing_ruff)  # written before grades recorded it: ruff's default, optional
    assert not passed_without(decides, {"test_flaky"})
    assert passed_without(informs, {"test_flaky"})
    assert passed_without(older, {"test_flaky"})
    # Without the flaky mark the failing test still fails the sample.
    assert not passed_without(informs, set())


def test_grading_records_which_grades_decide_the_pass(make_case, tmp_path):
    toml = MINIMAL_TOML.format(id="ping", timeout=30) + (
        "\n[graders]\ntests = { weight = 0.8 }\nruff = { weight = 0.1, required = true }\n"
        "openapi = { weight = 0.1 }\n"
    )
    folder = make_case(toml=toml)
    case = load_case(folder)
    variant = Variant("reference", "reference")
    workspace = Workspace.create(
        tmp_path / "ws", {**case.workspace, **case.solution_overlay(variant)}
    )
    grades, _ = grade_workspace(
        case, variant, workspace.root, tmp_path / "grading", Executor(Sandbox(choose_level("auto")))
    )
    assert {name: g.required for name, g in grades.items()} == {
        "tests": True, "ruff": True, "openapi": False
    }  # fmt: skip
