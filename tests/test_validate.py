"""The suite's own quality gate, judged on constructed results (no grading needed)."""

import textwrap

from evals.cases import load_case
from evals.records import GradeResult, SampleResult, TestOutcome
from evals.validate import check_case, render

TWO_TESTS = textwrap.dedent(
    """
    import pytest


    @pytest.mark.rule("api-design")
    def test_ping_answers_ok(client):
        assert client.get("/api/v1/ping").status_code == 200


    @pytest.mark.rule("docs")
    def test_ping_is_documented(client):
        assert "/api/v1/ping" in client.get("/openapi.json").json()["paths"]
    """
)


def row(variant, outcomes, passed):
    tests = [TestOutcome(id=i, outcome=o) for i, o in outcomes.items()]
    grades = {
        "tests": GradeResult(grader="tests", score=1.0, passed=passed, tests=tests),
        "imports": GradeResult(grader="imports", score=1.0, passed=True),
    }
    return SampleResult(
        run_id="r",
        case_id="ping",
        variant=variant,
        sample=0,
        passed=passed,
        score=1.0,
        grades=grades,
    )


def case(make_case):
    return load_case(make_case(files={"tests/test_ping.py": TWO_TESTS}))


ALL_PASS = {"test_ping_answers_ok": "passed", "test_ping_is_documented": "passed"}


def test_sound_case_has_full_specificity_and_sensitivity(make_case):
    rows = [row("reference", ALL_PASS, True),
            row("mutant-broken", {**ALL_PASS, "test_ping_answers_ok": "failed"}, False)]  # fmt: skip
    report = check_case(case(make_case), rows)
    assert report.specificity == 1.0 and report.sensitivity == 1.0
    assert report.tests == 2 and report.undeclared == {}
    # The minimal case has no alternative and one mutant: the gate says so.
    assert report.problems == [
        "no [requirements]: list the prompt's requirements in case.toml",
        "no alternative solution (need at least one)",
        "only 1 mutant(s) (need at least 4)",
        "0 blind alternative(s) and 0 blind mutant(s) (need at least 2 and 3: cases/README.md)",
    ]


def test_failing_reference_and_surviving_mutant_are_violations(make_case):
    rows = [row("reference", {**ALL_PASS, "test_ping_is_documented": "failed"}, False),
            row("mutant-broken", ALL_PASS, True)]  # fmt: skip
    report = check_case(case(make_case), rows)
    assert report.specificity == 0.0 and report.sensitivity == 0.0
    assert any("reference fails ['test_ping_is_documented']" in p for p in report.problems)
    assert any("mutant-broken passes tests it must fail" in p for p in report.problems)
    assert "VIOLATION" in render([report])


def test_mutant_caught_only_by_undeclared_tests_is_named(make_case):
    rows = [row("reference", ALL_PASS, True),
            row("mutant-broken", {**ALL_PASS, "test_ping_is_documented": "failed"}, False)]  # fmt: skip
    report = check_case(case(make_case), rows)
    assert report.sensitivity == 0.0
    assert any("caught only by tests it does not declare" in p for p in report.problems)
    assert report.undeclared == {"broken": ["test_ping_is_documented"]}


def test_a_declared_test_that_never_ran_does_not_count_as_catching_the_mutant(make_case):
    # A mutant graded on its declared tests alone: the row holds no outcome for the one it
    # declares (a selection that left it out), or a "missing" one (the judge died first).
    for outcomes in ({"test_ping_is_documented": "passed"},
                     {"test_ping_answers_ok": "missing", "test_ping_is_documented": "failed"}):  # fmt: skip
        rows = [row("reference", ALL_PASS, True), row("mutant-broken", outcomes, False)]
        report = check_case(case(make_case), rows)
        assert report.sensitivity == 0.0
        assert any(
            "mutant-broken: declared tests never ran: ['test_ping_answers_ok']" in p
            for p in report.problems
        )


PARAMETRIZED = TWO_TESTS.replace(
    "def test_ping_answers_ok(client):",
    '@pytest.mark.parametrize("n", [1, 2])\ndef test_ping_answers_ok(client, n):',
) + textwrap.dedent(
    """

    @pytest.mark.rule("api-design")
    def test_ping_answers_ok_twice(client):
        assert client.get("/api/v1/ping").status_code == 200
    """
)


def outcomes_of_mutant(make_case, must_fail, outcomes):
    folder = make_case(files={"tests/test_ping.py": PARAMETRIZED})
    toml = folder / "case.toml"
    toml.write_text(toml.read_text().replace('["test_ping_answers_ok"]', repr(must_fail)))
    good = {"test_ping_answers_ok[1]": "passed", "test_ping_answers_ok[2]": "passed",
            "test_ping_answers_ok_twice": "passed", "test_ping_is_documented": "passed"}  # fmt: skip
    rows = [row("reference", good, True), row("mutant-broken", outcomes, False)]
    return check_case(load_case(folder), rows)


def test_a_bare_name_is_caught_by_any_parametrized_id_and_never_by_a_longer_name(make_case):
    caught = outcomes_of_mutant(
        make_case, ["test_ping_answers_ok"],
        {"test_ping_answers_ok[1]": "passed", "test_ping_answers_ok[2]": "failed"},
    )  # fmt: skip
    assert caught.sensitivity == 1.0
    # test_ping_answers_ok_twice shares the prefix, not the name: it does not stand for it.
    survived = outcomes_of_mutant(
        make_case, ["test_ping_answers_ok"],
        {"test_ping_answers_ok[1]": "passed", "test_ping_answers_ok[2]": "passed",
         "test_ping_answers_ok_twice": "failed"},
    )  # fmt: skip
    assert survived.sensitivity == 0.0
    assert any("passes all of ['test_ping_answers_ok']" in p for p in survived.problems)


def test_an_exact_parametrized_id_is_judged_on_that_id_alone(make_case):
    report = outcomes_of_mutant(
        make_case, ["test_ping_answers_ok[2]"],
        {"test_ping_answers_ok[1]": "failed", "test_ping_answers_ok[2]": "passed"},
    )  # fmt: skip
    assert report.sensitivity == 0.0
    # ...and one id that ran, beside one that did not, is not a catch either.
    report = outcomes_of_mutant(
        make_case, ["test_ping_answers_ok"],
        {"test_ping_answers_ok[1]": "passed", "test_ping_answers_ok[2]": "missing"},
    )  # fmt: skip
    assert report.sensitivity == 0.0
    assert any("declared tests never ran: ['test_ping_answers_ok']" in p for p in report.problems)


def test_a_known_good_solution_graded_on_part_of_the_suite_is_a_violation(make_case):
    rows = [row("reference", {"test_ping_answers_ok": "passed"}, True)]
    report = check_case(case(make_case), rows)
    assert report.specificity == 0.0
    assert "reference was graded on 1 of the 2 tests" in report.problems


def test_untagged_test_is_a_violation(make_case):
    untagged = TWO_TESTS.replace('@pytest.mark.rule("docs")\n', "")
    report = check_case(load_case(make_case(files={"tests/test_ping.py": untagged})), [])
    assert "test test_ping_is_documented has no @pytest.mark.rule tag" in report.problems


def test_known_good_solution_with_findings_is_a_violation(make_case):
    from evals.records import Finding

    reference = row("reference", ALL_PASS, True)
    reference.grades["ruff"] = GradeResult(
        grader="ruff",
        score=0.9,
        passed=True,
        findings=[Finding(code="S105", message="hard-coded password", path="app/core.py", line=3)],
    )
    rows = [reference, row("mutant-broken", {**ALL_PASS, "test_ping_answers_ok": "failed"}, False)]
    report = check_case(case(make_case), rows)
    assert report.specificity == 0.0
    assert any(
        "scores below 1.0 on {'ruff': 0.9}" in p and "S105 app/core.py:3" in p
        for p in report.problems
    )


REQUIREMENT_TESTS = textwrap.dedent(
    """
    import pytest


    @pytest.mark.rule("api-design")
    @pytest.mark.requirement("ping-ok")
    def test_ping_answers_ok(client):
        assert client.get("/api/v1/ping").status_code == 200


    @pytest.mark.rule("docs")
    @pytest.mark.requirement("ping-documented", "no-such-requirement")
    def test_ping_is_documented(client):
        assert "/api/v1/ping" in client.get("/openapi.json").json()["paths"]
    """
)

REQUIREMENTS_TOML = """
[requirements.ping-ok]
quote = "GET /api/v1/ping answers 200"
[requirements.ping-documented]
quote = "The route is documented"
[requirements.ping-fast]
quote = "It answers within a second"
[requirements.ping-logged]
quote = "Each call is logged"
waived = "nothing outside the process can observe the log"
"""


def test_requirement_matrix_names_untested_and_unknown_requirements(make_case):
    from tests.conftest import MINIMAL_TOML

    folder = make_case(
        toml=MINIMAL_TOML.format(id="ping", timeout=30) + REQUIREMENTS_TOML,
        files={"tests/test_ping.py": REQUIREMENT_TESTS},
    )
    report = check_case(load_case(folder), [row("reference", ALL_PASS, True)])
    assert report.matrix == {
        "ping-ok": ["test_ping_answers_ok"],
        "ping-documented": ["test_ping_is_documented"],
        "ping-fast": [],
        "ping-logged": [],
    }
    assert report.waived == {"ping-logged": "nothing outside the process can observe the log"}
    problems = [p for p in report.problems if "requirement" in p]
    assert problems == [
        "test test_ping_is_documented cites unknown requirement 'no-such-requirement'",
        "requirement 'ping-fast' has no test (and no waiver)",
    ]
    text = render([report])
    assert "ping-fast <- NO TEST" in text
    assert "ping-logged <- WAIVED: nothing outside" in text


def test_a_case_without_requirements_is_a_violation(make_case):
    report = check_case(case(make_case), [row("reference", ALL_PASS, True)])
    assert "no [requirements]: list the prompt's requirements in case.toml" in report.problems


def test_a_mutant_whose_reference_changed_since_it_was_written_is_named_stale(make_case):
    folder = make_case(files={"tests/test_ping.py": TWO_TESTS})
    main = folder / "reference" / "app" / "main.py"
    main.write_text(main.read_text() + "\n# edited after the mutant was made\n")
    rows = [row("reference", ALL_PASS, True),
            row("mutant-broken", {**ALL_PASS, "test_ping_answers_ok": "failed"}, False)]  # fmt: skip
    problems = check_case(load_case(folder), rows).problems
    assert [p for p in problems if "stale" in p] == [
        "mutant-broken is stale: the reference changed since it was written (base_hash); "
        "check the mutant still applies, then `evals validate --record-base-hashes`"
    ]
