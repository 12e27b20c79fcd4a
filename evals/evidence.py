"""What one run says about one unit: its samples, read as the gate weighs them.

A sample is one independent draw; its hidden tests are not (they share the program, so they
fail together). The evidence a sample gives is ``(passed + share of hidden tests passed) / 2``:
the pass the suite is scored on, plus how far a failure went. Tests marked flaky (see
:mod:`evals.flaky`) are left out of both, and a sample that failed only on them passes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from evals.flaky import passed_without
from evals.records import SampleResult
from graders.registry import TESTS


def _tests(row: SampleResult, flaky: frozenset[str]):
    grade = row.grades.get(TESTS)
    if grade is None or grade.infra_error:
        return []
    return [t for t in grade.tests if t.id not in flaky]


@dataclass(frozen=True)
class Side:
    """One run's samples of one unit."""

    rows: tuple[SampleResult, ...]
    flaky: frozenset[str] = field(default_factory=frozenset)
    """Hidden tests of this case known to be flaky: not evidence."""

    @cached_property
    def valid(self) -> tuple[SampleResult, ...]:
        return tuple(r for r in self.rows if not r.infra_error)

    @cached_property
    def passes(self) -> tuple[bool, ...]:
        """Per valid sample: passed, flaky tests set aside."""
        return tuple(passed_without(r, self.flaky) for r in self.valid)

    @property
    def n(self) -> int:
        return len(self.valid)

    @property
    def passed(self) -> int:
        return sum(self.passes)

    @property
    def infra(self) -> int:
        return len(self.rows) - self.n

    @property
    def rate(self) -> float:
        return self.passed / self.n if self.n else math.nan

    @property
    def mean_score(self) -> float:
        return sum(r.score for r in self.valid) / self.n if self.n else math.nan

    @cached_property
    def test_shares(self) -> tuple[float, ...]:
        """Per valid sample: the share of its (non-flaky) hidden tests that passed."""
        shares = []
        for row, ok in zip(self.valid, self.passes, strict=True):
            tests = _tests(row, self.flaky)
            good = sum(t.outcome == "passed" for t in tests)
            shares.append(good / len(tests) if tests else float(ok))
        return tuple(shares)

    @cached_property
    def evidence(self) -> tuple[float, ...]:
        """Per valid sample: ``(passed + share of hidden tests passed) / 2``."""
        return tuple((ok + s) / 2 for ok, s in zip(self.passes, self.test_shares, strict=True))

    @property
    def mean_evidence(self) -> float:
        return sum(self.evidence) / self.n if self.n else math.nan

    def rule_shares(self, rules_of: dict[str, list[str]]) -> dict[str, float]:
        """Per prompt rule: mean over samples of the share of its hidden tests passed.

        ``rules_of`` maps test ids to rules (a recorded baseline keeps them only on failures).
        """
        per_rule: dict[str, list[float]] = defaultdict(list)
        for row in self.valid:
            counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for test in _tests(row, self.flaky):
                for rule in test.rules or rules_of.get(test.id, ()):
                    counts[rule][0] += test.outcome == "passed"
                    counts[rule][1] += 1
            for rule, (good, total) in counts.items():
                per_rule[rule].append(good / total)
        return {rule: sum(v) / len(v) for rule, v in per_rule.items()}

    @property
    def fail_shares(self) -> list[float]:
        """Test shares of the failing samples (how deep failures go)."""
        return [s for ok, s in zip(self.passes, self.test_shares, strict=True) if not ok]

    def state(self, flip_below: float) -> str:
        if not self.n:
            return "unknown"
        if self.passed == self.n:
            return "pass"
        return "fail" if self.rate < flip_below else "mixed"

    def representative(self, passed: bool) -> SampleResult | None:
        picks = sorted(zip(self.valid, self.passes, strict=True), key=lambda p: p[0].sample)
        return next((row for row, ok in picks if ok == passed), None)


@dataclass(frozen=True)
class TestChange:
    __test__ = False  # not a pytest class

    test_id: str
    base_passed: int
    base_n: int
    cand_passed: int
    cand_n: int
    message: str
    """A failure message from the side that fails more."""
    flaky: bool = False
    """The test is flaky: reported, never evidence."""

    @property
    def worse(self) -> bool:
        return self.cand_passed / max(self.cand_n, 1) < self.base_passed / max(self.base_n, 1)


def rules_of(*sides: Side) -> dict[str, list[str]]:
    """Test id -> rules, from whichever sample recorded them."""
    found: dict[str, list[str]] = {}
    for side in sides:
        for row in side.valid:
            grade = row.grades.get(TESTS)
            for test in grade.tests if grade else ():
                if test.rules:
                    found.setdefault(test.id, test.rules)
    return found


def test_changes(base: Side, cand: Side) -> tuple[TestChange, ...]:
    """Hidden tests whose pass share differs between the runs, worse ones first."""
    counts: dict[str, list[int]] = {}
    messages: dict[tuple[str, bool], str] = {}
    order: dict[str, int] = {}
    for is_cand, side in ((False, base), (True, cand)):
        for row in side.valid:
            grade = row.grades.get(TESTS)
            for i, test in enumerate(grade.tests if grade else ()):
                order.setdefault(test.id, i)
                entry = counts.setdefault(test.id, [0, 0, 0, 0])
                entry[2 * is_cand] += test.outcome == "passed"
                entry[2 * is_cand + 1] += 1
                if test.outcome != "passed":
                    messages.setdefault((test.id, is_cand), test.message)
    flaky = base.flaky | cand.flaky
    changes = []
    for test_id, (bp, bn, cp, cn) in counts.items():
        if bn and cn and bp * cn != cp * bn:
            worse = cp / cn < bp / bn
            changes.append(
                TestChange(
                    test_id, bp, bn, cp, cn, messages.get((test_id, worse), ""), test_id in flaky
                )
            )
    return tuple(sorted(changes, key=lambda c: (c.flaky, not c.worse, order.get(c.test_id, 0))))


def grader_changes(base: Side, cand: Side) -> tuple[tuple[str, float, float], ...]:
    """(grader, baseline pass rate, candidate pass rate) where they differ."""

    def rates(side: Side) -> dict[str, float]:
        seen: dict[str, list[bool]] = defaultdict(list)
        for row in side.valid:
            for name, grade in row.grades.items():
                if not grade.infra_error:
                    seen[name].append(grade.passed)
        return {k: sum(v) / len(v) for k, v in seen.items()}

    b, c = rates(base), rates(cand)
    return tuple((g, b[g], c[g]) for g in sorted(set(b) & set(c)) if b[g] != c[g])
