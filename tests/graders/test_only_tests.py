"""Grading on some hidden tests only (``evals validate`` runs a mutant's declared tests): the
judge runs exactly those and the canaries, and the verdict is theirs, under both executors."""

from __future__ import annotations

import textwrap

import pytest

from evals.cases import REFERENCE, Variant, load_case
from evals.execute import Executor, declared_tests
from evals.execute import sandbox as sb
from evals.grade import grade_workspace
from evals.workspace import Workspace
from graders.base import GradeContext
from graders.registry import TESTS
from graders.tests import TestsGrader
from tests.conftest import MINIMAL_TOML, executors

THREE_TESTS = textwrap.dedent(
    """
    import pytest


    @pytest.mark.rule("api-design")
    def test_ping_answers_ok(client):
        assert client.get("/api/v1/ping").json() == {"status": "ok"}


    @pytest.mark.rule("api-design")
    @pytest.mark.parametrize("times", [1, 2])
    def test_ping_answers_every_time(client, times):
        for _ in range(times):
            assert client.get("/api/v1/ping").json() == {"status": "ok"}


    @pytest.mark.rule("docs")
    def test_ping_is_documented(client):
        assert "/api/v1/ping" in client.get("/openapi.json").json()["paths"]
    """
)

TOML = MINIMAL_TOML.format(id="ping", timeout=30).replace(
    '["test_ping_answers_ok"]', '["test_ping_answers_ok", "test_ping_answers_every_time"]'
)

BROKEN = Variant("mutant", "broken")
DECLARED = (
    "test_ping_answers_ok",
    "test_ping_answers_every_time[1]",
    "test_ping_answers_every_time[2]",
)


@pytest.fixture
def ping(make_case):
    return load_case(make_case(toml=TOML, files={"tests/test_ping.py": THREE_TESTS}))


def workspace(case, variant, tmp_path):
    folder = tmp_path / f"workspace-{variant.label}"
    Workspace.create(folder, case.workspace)
    Workspace.create(folder, case.solution_overlay(variant))
    return folder


def grade(case, variant, tmp_path, executor, only):
    ctx = GradeContext(
        case=case, variant=variant, workspace=workspace(case, variant, tmp_path),
        grade_dir=tmp_path / f"grade-{variant.label}", executor=executor, only_tests=only,
    )  # fmt: skip
    return TestsGrader().grade(ctx), ctx.execution()


def test_a_mutants_declared_tests_expand_a_bare_name_to_each_parametrized_id(ping):
    assert declared_tests(ping, BROKEN) == DECLARED
    assert declared_tests(ping, REFERENCE) is None


@pytest.mark.parametrize("make_executor", list(executors()))
def test_the_judge_runs_only_the_tests_asked_for_and_the_verdict_is_theirs(
    ping, tmp_path, make_executor
):
    executor = make_executor()
    try:
        mutant, mutant_run = grade(ping, BROKEN, tmp_path, executor, DECLARED)
        reference, _ = grade(ping, REFERENCE, tmp_path, executor, DECLARED)
    finally:
        executor.close()

    # The mutant fails each declared test; the undeclared one never ran (it would pass).
    assert {t.id: t.outcome for t in mutant.tests} == dict.fromkeys(DECLARED, "failed")
    assert not mutant.passed and mutant.details == "0/3 passed (only the tests asked for)"
    ran = {str(event.get("id")) for event in mutant_run.tests_reported()}
    assert "test_ping_is_documented" not in ran
    assert {"test_evals_canary_pass", "test_evals_canary_fail"} <= ran
    # The same selection on the reference is a clean pass: the collection check held.
    assert reference.passed and reference.score == 1.0
    assert [t.id for t in reference.tests] == list(DECLARED)


def test_asking_for_a_test_the_suite_does_not_hold_is_an_infra_error(ping, tmp_path):
    executor = Executor(sb.Sandbox(sb.choose_level("auto")))
    result, _ = grade(ping, REFERENCE, tmp_path, executor, ("test_not_in_the_suite",))
    assert result.infra_error == "asked to run unknown hidden tests ['test_not_in_the_suite']"
    assert not result.passed


def test_an_empty_selection_runs_the_canaries_alone_and_is_no_pass(ping, tmp_path):
    executor = Executor(sb.Sandbox(sb.choose_level("auto")))
    result, run = grade(ping, REFERENCE, tmp_path, executor, ())
    ran = {str(event.get("id")) for event in run.tests_reported()}
    assert ran == {"test_evals_canary_pass", "test_evals_canary_fail"}
    assert result.tests == [] and not result.passed and result.infra_error is None


def test_grading_with_declared_tests_only_selects_for_mutants_alone(ping, tmp_path):
    executor = Executor(sb.Sandbox(sb.choose_level("auto")))

    def graded(variant):
        grades, _ = grade_workspace(
            ping, variant, workspace(ping, variant, tmp_path), tmp_path / variant.label,
            executor, declared_only=True,
        )  # fmt: skip
        return grades[TESTS]

    assert [t.id for t in graded(BROKEN).tests] == list(DECLARED)
    reference = graded(REFERENCE)  # a known-good solution: the whole suite
    assert [t.id for t in reference.tests] == [*DECLARED, "test_ping_is_documented"]
    assert reference.passed
