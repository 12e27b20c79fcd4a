"""``evals validate``: prove the golden suite sound before trusting any score from it.

Plays every known solution through the real loop and graders (the reference provider), then
checks: references and alternatives pass every hidden test (specificity must be 100%);
every mutant fails each test it declares (sensitivity must be 100%); every hidden test is
tagged with known rules. Mutants that also fail tests they did not declare are listed, since
a declaration that undersells a mutant hides what the suite really checks.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from evals import flaky
from evals.cases import Case
from evals.config import RunOptions
from evals.execute import expected_test_ids
from evals.records import SampleResult
from evals.rules import unknown_rules


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
    if not case.alternatives:
        report.problems.append("no alternative solution (need at least one)")
    if len(case.mutants) < 4:
        report.problems.append(f"only {len(case.mutants)} mutant(s) (need at least 4)")
    by_variant = {r.variant: r for r in rows if r.case_id == case.id}
    for variant in case.variants():
        row = by_variant.get(variant.label)
        if row is None:
            report.problems.append(f"{variant.label}: no result")
            continue
        if row.infra_error:
            report.problems.append(f"{variant.label}: infra error: {row.infra_error}")
            continue
        tests = {t.id: t for t in row.grades["tests"].tests} if "tests" in row.grades else {}
        if variant.kind in ("reference", "alternative"):
            report.solutions += 1
            failing = [t.id for t in tests.values() if t.outcome != "passed"]
            imports_ok = row.grades.get("imports") is None or row.grades["imports"].passed
            imperfect = {
                name: grade.score for name, grade in row.grades.items() if grade.score < 1.0
            }
            tests_ok = bool(row.grades.get("tests")) and row.grades["tests"].passed
            if not failing and tests_ok and imports_ok and not imperfect:
                report.solutions_ok += 1
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
                detail = row.grades["tests"].details if "tests" in row.grades else "no tests grade"
                report.problems.append(f"{variant.label} fails {failing[:6]} ({detail})")
        else:
            report.mutants += 1
            spec = case.mutant(variant.name)
            survived = [t for t in spec.must_fail if _outcome(tests, t) == "passed"]
            failing_any = any(t.outcome != "passed" for t in tests.values())
            if survived and failing_any and len(survived) == len(spec.must_fail):
                report.problems.append(
                    f"{variant.label} is caught only by tests it does not declare; "
                    f"it passes all of {survived}"
                )
            elif survived:
                report.problems.append(f"{variant.label} passes tests it must fail: {survived}")
            else:
                report.mutants_caught += 1
            declared = {t.split("[")[0] for t in spec.must_fail} | set(spec.must_fail)
            extra = [
                t.id
                for t in tests.values()
                if t.outcome != "passed" and not {t.id, t.id.split("[")[0]} & declared
            ]
            if extra:
                report.undeclared[variant.name] = extra
    return report


def _outcome(tests: dict, test_id: str) -> str:
    if test_id in tests:
        return tests[test_id].outcome
    matching = [t.outcome for i, t in tests.items() if i.split("[")[0] == test_id]
    if not matching:
        return "missing"
    return "passed" if all(o == "passed" for o in matching) else "failed"


def validate(options: RunOptions, keep: Path | None = None) -> tuple[list[CaseValidation], Path]:
    """Run the known solutions and check them; returns per-case reports and the run folder."""
    from evals.cases import load_suite
    from evals.runner import run

    options.provider = "reference"
    out = keep or Path(tempfile.mkdtemp(prefix="evals-validate-"))
    options.out = out
    run_dir = run(options)
    # Every known solution graded a second time: a hidden test whose outcome moves on the
    # same program is flaky (reported, and never counted by the gate).
    from evals.regrade import regrade

    rows = regrade(run_dir, options).results()
    cases = load_suite(options.cases_dir, options.case_ids)
    reports = [check_case(case, rows) for case in cases]
    flaky_tests = flaky.flaky_tests(rows)
    for report in reports:
        report.flaky = sorted(flaky_tests.get(report.case_id, ()))
    return reports, run_dir


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
    for r in reports:
        for problem in r.problems:
            lines.append(f"  {r.case_id}: {problem}")
        for mutant, extra in r.undeclared.items():
            lines.append(f"  {r.case_id}: mutant {mutant} also fails undeclared tests: {extra}")
        for test_id in r.flaky:
            lines.append(f"  {r.case_id}: FLAKY {test_id}: its outcome changed on a second grading")
    return "\n".join(lines)
