"""``evals validate``: prove the golden suite sound before trusting any score from it.

Plays every known solution through the real loop and graders (the reference provider), then
checks: references and alternatives pass every hidden test (specificity must be 100%);
every mutant fails each test it declares (sensitivity must be 100%); every hidden test is
tagged with known rules and cites the case's requirements, and every requirement has a test
(or a waiver); the suite runs at least :data:`~evals.suite_coverage.LINE_GOAL` of each
reference's lines. Solutions written blind (``origin = "blind"``) are counted apart: they are
the evidence the suite catches what its own author did not think of.

A mutant runs only the tests it declares (and the harness's canaries): its verdict is theirs,
and each must have run. With ``all_tests`` it runs the whole suite, and the tests it also fails
without declaring them are listed, since a declaration that undersells a mutant hides what the
suite really checks.
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from evals import flaky, providers
from evals.cases import Case, names_test
from evals.config import RunOptions
from evals.execute import expected_test_ids, requirements_by_test
from evals.records import GradeResult, SampleResult
from evals.rules import unknown_rules
from evals.suite_coverage import LINE_GOAL, SolutionCoverage
from graders.registry import API_FUZZ, IMPORTS, TESTS

BLIND_ALTERNATIVES, BLIND_MUTANTS = 2, 3
"""Known solutions per case written by an author who saw only what the agent sees."""


@dataclass
class CaseValidation:
    case_id: str
    solutions: int = 0
    solutions_ok: int = 0
    mutants: int = 0
    mutants_caught: int = 0
    tests: int = 0
    problems: list[str] = field(default_factory=list)
    undeclared: dict[str, list[str]] = field(default_factory=dict)
    flaky: list[str] = field(default_factory=list)
    """Hidden tests whose outcome changed when a known solution was graded again."""
    matrix: dict[str, list[str]] = field(default_factory=dict)
    """Requirement id -> the hidden tests that declare it (the requirement x test matrix)."""
    waived: dict[str, str] = field(default_factory=dict)
    blind: dict[str, list[int]] = field(default_factory=dict)
    """``solutions``/``mutants`` -> [right verdicts, total] for blind-written ones only."""
    coverage: list[SolutionCoverage] = field(default_factory=list)

    @property
    def specificity(self) -> float:
        return self.solutions_ok / self.solutions if self.solutions else 0.0

    @property
    def sensitivity(self) -> float:
        return self.mutants_caught / self.mutants if self.mutants else 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_case(case: Case, rows: list[SampleResult]) -> CaseValidation:
    report = CaseValidation(case.id)
    expected = expected_test_ids(case)
    report.tests = len(expected)
    for test_id, rules in expected.items():
        if not rules:
            report.problems.append(f"test {test_id} has no @pytest.mark.rule tag")
        elif bad := unknown_rules(list(rules)):
            report.problems.append(f"test {test_id} has unknown rules {bad}")
    _check_requirements(case, report)
    report.blind = {"solutions": [0, 0], "mutants": [0, 0]}
    if not case.alternatives:
        report.problems.append("no alternative solution (need at least one)")
    if len(case.mutants) < 4:
        report.problems.append(f"only {len(case.mutants)} mutant(s) (need at least 4)")
    blind_alternatives = sum(
        case.origin(v) == "blind" for v in case.variants() if v.kind == "alternative"
    )
    for name in case.stale_mutants():
        base = case.mutant(name).base or "the reference"
        report.problems.append(
            f"mutant-{name} is stale: {base} changed since it was written (base_hash); check "
            "the mutant still applies, then `evals validate --record-base-hashes`"
        )
    blind_mutants = sum(m.origin == "blind" for m in case.mutants)
    if blind_alternatives < BLIND_ALTERNATIVES or blind_mutants < BLIND_MUTANTS:
        report.problems.append(
            f"{blind_alternatives} blind alternative(s) and {blind_mutants} blind mutant(s) "
            f"(need at least {BLIND_ALTERNATIVES} and {BLIND_MUTANTS}: cases/README.md)"
        )
    by_variant = {r.variant: r for r in rows if r.case_id == case.id}
    for variant in case.variants():
        row = by_variant.get(variant.label)
        if row is None:
            report.problems.append(f"{variant.label}: no result")
            continue
        if row.infra_error:
            report.problems.append(f"{variant.label}: infra error: {row.infra_error}")
            continue
        tests = {t.id: t for t in row.grades[TESTS].tests} if TESTS in row.grades else {}
        blind = case.origin(variant) == "blind"
        if variant.kind in ("reference", "alternative"):
            report.solutions += 1
            if blind:
                report.blind["solutions"][1] += 1
            if tests and set(tests) != set(expected):
                # Only mutants are graded on a selection: a known-good one graded on part of
                # the suite would prove nothing about the rest.
                report.problems.append(
                    f"{variant.label} was graded on {len(tests)} of the {len(expected)} tests"
                )
                continue
            failing = [t.id for t in tests.values() if t.outcome != "passed"]
            imports_ok = row.grades.get(IMPORTS) is None or row.grades[IMPORTS].passed
            imperfect = {
                name: grade.score for name, grade in row.grades.items() if grade.score < 1.0
            }
            tests_ok = bool(row.grades.get(TESTS)) and row.grades[TESTS].passed
            if not failing and tests_ok and imports_ok and not imperfect:
                report.solutions_ok += 1
                if blind:
                    report.blind["solutions"][0] += 1
            elif not failing and tests_ok and imports_ok:
                # A known-good solution is the example the graders are calibrated on: any
                # finding on it is either a flaw to fix or a grader false positive.
                report.problems.append(
                    f"{variant.label} passes but scores below 1.0 on {imperfect}: "
                    + "; ".join(
                        f"{f.code} {f.path}:{f.line} {f.message[:80]}"
                        for name in imperfect
                        for f in row.grades[name].findings[:3]
                    )
                )
            else:
                detail = row.grades[TESTS].details if TESTS in row.grades else "no tests grade"
                report.problems.append(f"{variant.label} fails {failing[:6]} ({detail})")
        else:
            report.mutants += 1
            if blind:
                report.blind["mutants"][1] += 1
            spec = case.mutant(variant.name)
            survived = [t for t in spec.must_fail if _outcome(tests, t) == "passed"]
            not_run = [t for t in spec.must_fail if _outcome(tests, t) == "missing"]
            failing_any = any(t.outcome != "passed" for t in tests.values())
            if not_run:
                # A test that never ran caught nothing: a timeout, a crash or a selection that
                # left it out must not count as the suite catching the mutant.
                detail = row.grades[TESTS].details if TESTS in row.grades else "no tests grade"
                report.problems.append(
                    f"{variant.label}: declared tests never ran: {not_run} ({detail})"
                )
            elif survived and failing_any and len(survived) == len(spec.must_fail):
                report.problems.append(
                    f"{variant.label} is caught only by tests it does not declare; "
                    f"it passes all of {survived}"
                )
            elif survived:
                report.problems.append(f"{variant.label} passes tests it must fail: {survived}")
            else:
                report.mutants_caught += 1
                if blind:
                    report.blind["mutants"][0] += 1
            declared = {t.split("[")[0] for t in spec.must_fail} | set(spec.must_fail)
            extra = [
                t.id
                for t in tests.values()
                if t.outcome != "passed" and not {t.id, t.id.split("[")[0]} & declared
            ]
            if extra:
                report.undeclared[variant.name] = extra
    return report


def _check_requirements(case: Case, report: CaseValidation) -> None:
    """Every test cites known requirements; every requirement is tested or waived."""
    cited = requirements_by_test(case)
    known = {r.id for r in case.requirements}
    if not case.requirements:
        report.problems.append("no [requirements]: list the prompt's requirements in case.toml")
    report.matrix = {r.id: [] for r in case.requirements}
    report.waived = {r.id: r.waived for r in case.requirements if r.waived}
    for test_id, ids in cited.items():
        if not ids and case.requirements:
            report.problems.append(f"test {test_id} cites no @pytest.mark.requirement")
        for rid in ids:
            if rid not in known:
                report.problems.append(f"test {test_id} cites unknown requirement {rid!r}")
            else:
                report.matrix[rid].append(test_id)
    for rid, tests in report.matrix.items():
        if not tests and rid not in report.waived:
            report.problems.append(f"requirement {rid!r} has no test (and no waiver)")
        if tests and rid in report.waived:
            report.problems.append(f"requirement {rid!r} is waived but tested by {tests}")


def _outcome(tests: dict, test_id: str) -> str:
    """A declared test's outcome: an exact id's, or over a bare name's parametrized ids:
    failed if any failed, else missing if any did not run (or none matched), else passed."""
    matching = [t.outcome for i, t in tests.items() if names_test(test_id, i)]
    if any(o not in ("passed", "missing") for o in matching):
        return "failed"
    return "missing" if not matching or "missing" in matching else "passed"


def validate(
    options: RunOptions, keep: Path | None = None, *, all_tests: bool = False
) -> tuple[list[CaseValidation], Path]:
    """Run the known solutions and check them; returns per-case reports and the run folder.

    ``all_tests``: mutants run the whole suite (their undeclared failures are listed)."""
    from evals.cases import load_suite
    from evals.runner import evaluate

    out = keep or Path(tempfile.mkdtemp(prefix="evals-validate-"))
    options = dataclasses.replace(
        options, provider=providers.REFERENCE, out=out, declared_tests_only=not all_tests
    )
    finished = evaluate(options)
    rows = finished.rows
    cases = load_suite(options.cases_dir, options.case_ids)
    reports = [check_case(case, rows) for case in cases]
    # Every known-good solution is graded a second time, with coverage and the generated
    # requests on (one execution serves the three): a hidden test whose outcome moves on
    # the same program is flaky (reported, recorded in the run, never counted by the gate).
    # Mutants are graded once: a test's flakiness shows on fixed, correct programs, while a
    # mutant's own nondeterminism would say nothing about the test.
    second = measure_coverage(cases, reports, options)
    found: dict[flaky.Key, list[str]] = {}
    for row in rows:
        again = second.get((row.case_id, row.variant))
        if again is not None and (moved := flaky.moved(row.grades.get(TESTS), again)):
            found[row.key] = moved
    if found:
        rows = flaky.mark(rows, found)
        finished.store.rewrite_results(rows)
    flaky_tests = flaky.flaky_tests(rows)
    for report in reports:
        report.flaky = sorted(flaky_tests.get(report.case_id, ()))
    return reports, finished.store.root


def measure_coverage(
    cases: list[Case], reports: list[CaseValidation], options: RunOptions
) -> dict[tuple[str, str], GradeResult]:
    """Line and branch coverage of every reference and alternative by its hidden suite; and
    the same execution's generated requests (the ``api_fuzz`` grader), which every known-good
    solution must pass. Returns each one's hidden-suite grade of that execution, by (case,
    variant label)."""
    from concurrent.futures import ThreadPoolExecutor

    from evals.execute.sandbox import Sandbox, choose_level
    from evals.runner import make_executor
    from evals.suite_coverage import measure

    sandbox = Sandbox(choose_level(options.isolation, allow_unsafe=options.unsafe_local))
    jobs = [
        (report, case, variant)
        for case, report in zip(cases, reports, strict=True)
        for variant in case.variants()
        if variant.kind != "mutant"
    ]
    # Every job runs the generated requests: the judges pre-import their stack.
    executor = make_executor(options, sandbox, fuzz=True)
    try:
        with ThreadPoolExecutor(max(1, options.workers)) as pool:
            measured = list(
                pool.map(lambda job: measure(job[1], job[2], executor, (API_FUZZ,)), jobs)
            )
    finally:
        executor.close()
    tests_grades: dict[tuple[str, str], GradeResult] = {}
    for (report, case, variant), (result, grades) in zip(jobs, measured, strict=True):
        if TESTS in grades:
            tests_grades[(case.id, variant.label)] = grades[TESTS]
        report.coverage.append(result)
        fuzz = grades.get(API_FUZZ)
        if fuzz is not None and not result.error and not fuzz.passed:
            report.problems.append(
                f"{variant.label} fails the generated requests (api_fuzz): "
                + "; ".join(
                    f"{f.code} {f.path}: {f.message[:100]}"
                    for f in fuzz.findings
                    if f.severity == "error"
                )[:600]
                + ("" if fuzz.findings else f" {fuzz.details or fuzz.infra_error}")
            )
        if result.error:
            report.problems.append(f"{variant.label}: coverage not measured: {result.error}")
        elif variant.kind == "reference" and result.line_rate < LINE_GOAL:
            missing = "; ".join(f"{f.path}:{_ranges(f.missing)}" for f in result.files if f.missing)
            report.problems.append(
                f"reference line coverage {result.line_rate:.1%} is under "
                f"{LINE_GOAL:.0%}; not run: {missing}"
            )
    return tests_grades


def _ranges(lines: list[int]) -> str:
    """``[3, 4, 5, 9]`` -> ``3-5,9``."""
    spans: list[list[int]] = []
    for n in sorted(lines):
        if spans and spans[-1][1] == n - 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def render(reports: list[CaseValidation]) -> str:
    lines = [
        f"{'case':<22} {'tests':>5} {'solutions':>9} {'specificity':>11} {'mutants':>7} "
        f"{'sensitivity':>11}  status"
    ]
    for r in reports:
        lines.append(
            f"{r.case_id:<22} {r.tests:>5} {r.solutions_ok:>4}/{r.solutions:<4} "
            f"{r.specificity:>11.0%} {r.mutants_caught:>3}/{r.mutants:<3} {r.sensitivity:>11.0%}  "
            + ("ok" if r.ok else "VIOLATION")
        )
    sol = sum(r.solutions for r in reports)
    mut = sum(r.mutants for r in reports)
    spec = sum(r.solutions_ok for r in reports) / sol if sol else 0.0
    sens = sum(r.mutants_caught for r in reports) / mut if mut else 0.0
    lines.append(
        f"{'overall':<22} {sum(r.tests for r in reports):>5} "
        f"{sum(r.solutions_ok for r in reports):>4}/{sol:<4} {spec:>11.0%} "
        f"{sum(r.mutants_caught for r in reports):>3}/{mut:<3} {sens:>11.0%}"
    )
    lines.append("")
    lines.append(
        f"{'case':<22} {'requirements':>12} {'blind solutions':>15} {'blind mutants':>13} "
        f"{'reference lines':>15} {'branches':>8}  lowest alternative"
    )
    for r in reports:
        tested = sum(1 for tests in r.matrix.values() if tests)
        reference = next((c for c in r.coverage if c.variant == "reference"), None)
        others = [c for c in r.coverage if c.variant != "reference" and not c.error]
        lowest = min(others, key=lambda c: c.line_rate) if others else None
        bs, bm = r.blind.get("solutions", [0, 0]), r.blind.get("mutants", [0, 0])
        lines.append(
            f"{r.case_id:<22} {tested:>4}/{len(r.matrix):<3}"
            + (f"+{len(r.waived)}w" if r.waived else "   ")
            + f" {bs[0]:>9}/{bs[1]:<5} {bm[0]:>7}/{bm[1]:<5} "
            + (
                f"{reference.line_rate:>15.1%} {reference.branch_rate:>8.1%}"
                if reference and not reference.error
                else f"{'-':>15} {'-':>8}"
            )
            + (f"  {lowest.variant} {lowest.line_rate:.1%}" if lowest else "")
        )
    for r in reports:
        for rid, tests in r.matrix.items():
            cell = (
                ", ".join(tests)
                if tests
                else f"WAIVED: {r.waived[rid]}"
                if rid in r.waived
                else "NO TEST"
            )
            lines.append(f"  {r.case_id}: {rid} <- {cell}")
    for r in reports:
        for problem in r.problems:
            lines.append(f"  {r.case_id}: {problem}")
        for mutant, extra in r.undeclared.items():
            lines.append(f"  {r.case_id}: mutant {mutant} also fails undeclared tests: {extra}")
        for test_id in r.flaky:
            lines.append(f"  {r.case_id}: FLAKY {test_id}: its outcome changed on a second grading")
    return "\n".join(lines)


MUTATION_GOAL = 0.9
"""Killed / non-equivalent generated mutants each case's suite must reach (cases/README.md)."""


def mutation_testing(options: RunOptions) -> int:
    """``evals validate --mutation``: every case's mutation report; exit 1 under the goal."""
    import sys

    from evals import mutation
    from evals.cases import load_suite
    from evals.execute.sandbox import Sandbox, choose_level
    from evals.runner import make_executor

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    cases = load_suite(options.cases_dir, options.case_ids)
    sandbox = Sandbox(choose_level(options.isolation, allow_unsafe=options.unsafe_local))
    executor = make_executor(options, sandbox, say)
    reports = []
    try:
        for case in cases:
            reports.append(
                mutation.run_mutation(case, executor, workers=options.workers, progress=say)
            )
    finally:
        executor.close()
    print(mutation.render(reports))
    failed = [
        r.case_id
        for r in reports
        if r.problems or r.stale_equivalents or r.score < MUTATION_GOAL or r.count("error")
    ]
    if failed:
        print(f"mutation goal ({MUTATION_GOAL:.0%}) not met by: {', '.join(failed)}")
    return 1 if failed else 0
