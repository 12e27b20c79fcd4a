"""Flaky hidden tests: a test whose outcome differs when the same program is graded twice.

Such a test says nothing about the prompt, so the gate never counts it: its outcomes are left
out of the evidence, and a sample that failed only on flaky tests counts as passing.

A flaky test is recorded where the schema already has room, as a finding of the ``tests``
grade: ``Finding(code="flaky-test", message=<test id>)``. ``evals grade`` (the stored
workspaces graded again) and ``evals validate`` (known solutions, which are fixed programs)
find them with :func:`flaky_between` and store them with :func:`mark`; the gate reads them
with :func:`flaky_tests`, and also finds them itself between two offline runs whenever the
two runs graded the same code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Set

from evals.records import Finding, GradeResult, SampleResult
from graders.registry import TESTS, optional

CODE = "flaky-test"

Key = tuple[str, str, int]


def _outcomes(grade: GradeResult | None) -> dict[str, str] | None:
    if grade is None or grade.infra_error:
        return None
    return {t.id: t.outcome for t in grade.tests}


def moved(first: GradeResult | None, second: GradeResult | None) -> list[str]:
    """The hidden tests whose outcome differs between two ``tests`` grades of one program
    (a test in only one of them is not compared; an infra-errored grade compares nothing)."""
    a, b = _outcomes(first), _outcomes(second)
    if a is None or b is None:
        return []
    return [t for t in b if t in a and a[t] != b[t]]


def flaky_between(
    first: Iterable[SampleResult], second: Iterable[SampleResult]
) -> dict[Key, list[str]]:
    """Per sample graded in both: the hidden tests whose outcome differs between the two.

    Both gradings must be of the same program (the same stored workspace, or the same known
    solution of an unchanged case); a test present in only one grading is not compared.
    """
    earlier = {row.key: row for row in first}
    found: dict[Key, list[str]] = {}
    for row in second:
        before = earlier.get(row.key)
        if before is None or before.infra_error or row.infra_error:
            continue
        if differing := moved(before.grades.get(TESTS), row.grades.get(TESTS)):
            found[row.key] = differing
    return found


def marked(row: SampleResult) -> set[str]:
    """The tests this sample's grading has marked flaky."""
    grade = row.grades.get(TESTS)
    return {f.message for f in grade.findings if f.code == CODE} if grade else set()


def mark(rows: Iterable[SampleResult], found: Mapping[Key, Iterable[str]]) -> list[SampleResult]:
    """``rows`` with ``found`` recorded as flaky-test findings (earlier marks are kept)."""
    out = []
    for row in rows:
        grade = row.grades.get(TESTS)
        new = sorted(set(found.get(row.key, ())) - marked(row))
        if grade is None or not new:
            out.append(row)
            continue
        rules = {t.id: (t.rules[0] if t.rules else "") for t in grade.tests}
        findings = [
            *grade.findings,
            *(
                Finding(
                    code=CODE,
                    message=test_id,
                    severity="warning",
                    rule=rules.get(test_id, ""),
                )
                for test_id in new
            ),
        ]
        grades = {**row.grades, TESTS: grade.model_copy(update={"findings": findings})}
        out.append(row.model_copy(update={"grades": grades}))
    return out


def flaky_tests(rows: Iterable[SampleResult]) -> dict[str, set[str]]:
    """Per case: every test any of ``rows`` marked flaky (flaky once, flaky for the case)."""
    out: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if ids := marked(row):
            out[row.case_id] |= ids
    return dict(out)


def passed_without(row: SampleResult, flaky: Set[str]) -> bool:
    """Whether the sample passes once its flaky tests are set aside."""
    if row.passed or not flaky or row.infra_error:
        return row.passed
    grade = row.grades.get(TESTS)
    if grade is None or grade.infra_error:
        return False
    failing = {t.id for t in grade.tests if t.outcome != "passed"}
    if not failing or not failing <= flaky:
        return False
    # Graders that do not decide the pass (as the case set them, else by default) may fail
    # while the sample still passes.
    return all(g.passed or name == TESTS or not _decides(name, g) for name, g in row.grades.items())


def _decides(name: str, grade: GradeResult) -> bool:
    return grade.required if grade.required is not None else not optional(name)


def describe(found: Mapping[Key, Iterable[str]]) -> list[str]:
    """One line per case: its flaky tests and the samples they flipped in."""
    by_case: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for (case_id, variant, sample), tests in sorted(found.items()):
        for test_id in tests:
            by_case[case_id][test_id].append(f"{variant}-{sample}")
    return [
        f"flaky: {case_id}: {test_id} (outcome changed on a second grading of "
        f"{', '.join(samples)}); the gate ignores it"
        for case_id, tests in by_case.items()
        for test_id, samples in sorted(tests.items())
    ]


def regrade_check(
    first: Iterable[SampleResult], second: Iterable[SampleResult]
) -> tuple[list[SampleResult], list[str]]:
    """``second`` (a new grading of the same programs) with its flaky tests marked, and one
    report line per flaky test.

    Tests marked flaky in ``first`` stay marked; tests whose outcome differs between the two
    gradings are marked now. For ``evals grade`` (the stored workspaces graded again) and
    ``evals validate`` (every known solution graded a second time).
    """
    first = list(first)
    found = flaky_between(first, second)
    earlier = {row.key: marked(row) for row in first if marked(row)}
    keys = set(found) | set(earlier)
    every = {key: set(found.get(key, ())) | earlier.get(key, set()) for key in keys}
    return mark(second, every), describe(found)
