"""Mutation testing and coverage of a hidden suite, on a tiny case whose weak spot is known:
its only test asks for the small answer, so the branch for ``n > 3`` is never run."""

from __future__ import annotations

import textwrap

import pytest

from evals.cases import REFERENCE, load_case
from evals.execute import Executor
from evals.execute import sandbox as sb
from evals.mutation import generate, run_mutation
from evals.suite_coverage import measure
from graders.registry import API_FUZZ

APP = textwrap.dedent(
    """
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/api/v1/size")
    def size(n: int = 0) -> dict[str, str]:
        if n > 3:
            return {"size": "big"}
        return {"size": "small"}
    """
)

TESTS = textwrap.dedent(
    """
    import pytest


    @pytest.mark.rule("api-design")
    def test_small_by_default(client):
        assert client.get("/api/v1/size").json() == {"size": "small"}
    """
)

TOML = textwrap.dedent(
    """
    id = "size"
    title = "Size"
    kind = "create"
    difficulty = "easy"
    tags = ["api-design"]
    entrypoint = "app.main:app"

    [mutants.broken]
    description = "always big"
    must_fail = ["test_small_by_default"]

    [mutation.equivalent]
    "app/main.py:9:NumberReplacer" = "4 instead of 3: a test-suite fixture declares it"
    "app/main.py:99:AddNot" = "a line that no longer exists"
    """
)


@pytest.fixture(scope="module")
def size_case(tmp_path_factory):
    root = tmp_path_factory.mktemp("cases") / "size"
    files = {
        "case.toml": TOML,
        "prompt.md": "Answer small or big.\n",
        "tests/test_size.py": TESTS,
        "reference/app/__init__.py": "",
        "reference/app/main.py": APP,
        "mutants/broken/app/main.py": APP.replace('"small"}', '"big"}'),
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return load_case(root)


@pytest.fixture(scope="module")
def executor():
    ex = Executor(sb.Sandbox(sb.choose_level("auto")))
    yield ex
    ex.close()


def test_mutants_are_single_faults_with_ids_stable_across_generations(size_case):
    mutations, dropped = generate(size_case)
    again, _ = generate(size_case)
    assert [m.id for m in mutations] == [m.id for m in again]
    assert len({m.id for m in mutations}) == len(mutations)
    assert dropped == 0
    by_id = {m.id: m for m in mutations}
    boundary = by_id["app/main.py:9:ReplaceComparisonOperator_Gt_GtE"]
    assert (boundary.before, boundary.after) == ("if n > 3:", "if n >= 3:")
    # One fault per mutant: the rest of the file is the reference's.
    changed = [
        (a, b)
        for a, b in zip(APP.splitlines(), boundary.source.decode().splitlines(), strict=True)
        if a != b
    ]
    assert changed == [("    if n > 3:", "    if n >= 3:")]
    # The two NumberReplacer faults on one line get distinct ids.
    assert {"app/main.py:9:NumberReplacer", "app/main.py:9:NumberReplacer#1"} <= set(by_id)


def test_mutation_run_tells_killed_from_survivors_and_honours_equivalents(size_case, executor):
    report = run_mutation(size_case, executor, workers=2)
    status = {o.mutation.id: o.status for o in report.outcomes}
    # The route's decorator removed: the app has no route, the test fails.
    assert status["app/main.py:7:RemoveDecorator"] == "killed"
    # The condition negated: n=0 now answers big.
    assert status["app/main.py:9:AddNot"] == "killed"
    # The suite never asks for n near 3: boundary and number faults go unnoticed.
    assert status["app/main.py:9:ReplaceComparisonOperator_Gt_GtE"] == "survived"
    assert status["app/main.py:9:NumberReplacer#1"] == "survived"
    assert status["app/main.py:9:NumberReplacer"] == "equivalent"
    assert report.stale_equivalents == ["app/main.py:99:AddNot"]
    killed, survived = report.count("killed"), report.count("survived")
    assert report.score == killed / (killed + survived)
    assert report.count("error") == 0 and report.problems == []
    killer = next(o for o in report.outcomes if o.mutation.id == "app/main.py:9:AddNot")
    assert killer.killed_by == "test_small_by_default"


def test_coverage_lists_the_branch_the_suite_never_runs(size_case, executor):
    result, _grades = measure(size_case, REFERENCE, executor)
    assert result.error == ""
    main = next(f for f in result.files if f.path == "app/main.py")
    assert main.missing == [10]  # return {"size": "big"}
    assert main.statements == 7 and main.covered_lines == 6
    assert (main.branches, main.covered_branches) == (2, 1)
    assert result.line_rate == pytest.approx(6 / 7)


def test_generated_requests_after_the_suite_do_not_count_as_its_coverage(size_case, executor):
    # The api_fuzz grader sends generated values of n (big ones among them) over the same
    # execution: what they run is not what the hidden suite checks.
    result, grades = measure(size_case, REFERENCE, executor, also=(API_FUZZ,))
    assert grades[API_FUZZ].passed and "generated request" in grades[API_FUZZ].details
    assert not grades[API_FUZZ].details.startswith("0 generated")
    main = next(f for f in result.files if f.path == "app/main.py")
    assert main.missing == [10]
