"""The regression gate: does a candidate run fall below its baseline by more than noise?

Runs are paired unit by unit. A unit is a case and what played it: for an agent run that is
``(case, "agent")`` over its k samples; for an offline run each known solution is its own unit
(``(case, "reference")``, ``(case, "mutant-...")``), since those are different programs.

The verdict fails (exit 1) only on a regression the gate can stand behind:
- a must-pass case flips from passing (every sample) to failing (pass rate below
  ``flip_below``);
- a unit's pass rate drops by at least ``case_tolerance`` and Fisher's exact test calls the drop
  significant at ``alpha`` after a Holm adjustment over all units;
- the suite pass rate drops by at least ``tolerance`` and the paired bootstrap interval of the
  change lies wholly below zero.
Units the gate cannot judge because every sample hit an infra error, or too many infra errors
overall, give exit 3 (unless a regression was found anyway). Inputs that cannot be paired
(missing runs, different cases, an offline run against an agent run) are exit 2.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace

from evals.baseline import RunSource
from evals.errors import UsageError
from evals.paired import Interval, PairedUnit, fisher_drop, holm, paired_bootstrap
from evals.records import SampleResult
from evals.thresholds import GateConfig

PASS, REGRESSION, USAGE, INFRA = 0, 1, 2, 3


# --- pairing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One run's samples of one unit."""

    rows: tuple[SampleResult, ...]

    @property
    def valid(self) -> tuple[SampleResult, ...]:
        return tuple(r for r in self.rows if not r.infra_error)

    @property
    def n(self) -> int:
        return len(self.valid)

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.valid)

    @property
    def infra(self) -> int:
        return len(self.rows) - self.n

    @property
    def rate(self) -> float:
        return self.passed / self.n if self.n else math.nan

    @property
    def mean_score(self) -> float:
        return sum(r.score for r in self.valid) / self.n if self.n else math.nan

    def state(self, flip_below: float) -> str:
        if not self.n:
            return "unknown"
        if self.passed == self.n:
            return "pass"
        return "fail" if self.rate < flip_below else "mixed"

    def representative(self, passed: bool) -> SampleResult | None:
        return next(
            (r for r in sorted(self.valid, key=lambda r: r.sample) if r.passed == passed), None
        )


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

    @property
    def worse(self) -> bool:
        return self.cand_passed / max(self.cand_n, 1) < self.base_passed / max(self.base_n, 1)


@dataclass(frozen=True)
class UnitDelta:
    case_id: str
    variant: str
    must_pass: bool
    base: Side
    cand: Side
    base_state: str
    cand_state: str
    p_value: float
    """One-sided p-value of a drop in pass rate (before the correction)."""
    p_adjusted: float
    tests: tuple[TestChange, ...]
    graders: tuple[tuple[str, float, float], ...]
    """(grader, baseline pass rate, candidate pass rate) where they differ."""
    case_changed: bool
    reasons: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.case_id if self.variant == "agent" else f"{self.case_id} / {self.variant}"

    @property
    def delta(self) -> float:
        return self.cand.rate - self.base.rate

    @property
    def score_delta(self) -> float:
        return self.cand.mean_score - self.base.mean_score

    @property
    def flip(self) -> str:
        if self.base_state == "pass" and self.cand_state == "fail":
            return "pass → fail"
        if self.base_state == "fail" and self.cand_state == "pass":
            return "fail → pass"
        return ""

    @property
    def comparable(self) -> bool:
        return self.base.n > 0 and self.cand.n > 0

    @property
    def regressed(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True)
class GateResult:
    config: GateConfig
    units: tuple[UnitDelta, ...]
    rate: Interval
    """Change of the suite pass rate (mean over units), with its 95% interval."""
    score: Interval
    base_rate: float
    cand_rate: float
    base_score: float
    cand_score: float
    reasons: tuple[str, ...]
    """Why the verdict failed (empty when it passed)."""
    infra: tuple[str, ...]
    """Why the gate could not judge (exit 3 when there is no regression)."""
    notes: tuple[str, ...]
    left_out: tuple[str, ...] = ()
    """Units present in only one run (with --only-common)."""
    offline: bool = False
    agent_changed: bool = True

    @property
    def exit_code(self) -> int:
        if self.reasons:
            return REGRESSION
        return INFRA if self.infra else PASS

    @property
    def verdict(self) -> str:
        return {PASS: "pass", REGRESSION: "regression", INFRA: "infra"}[self.exit_code]

    @property
    def flips(self) -> tuple[UnitDelta, ...]:
        return tuple(u for u in self.units if u.flip or u.regressed)


def _units(rows: list[SampleResult]) -> dict[tuple[str, str], list[SampleResult]]:
    out: dict[tuple[str, str], list[SampleResult]] = defaultdict(list)
    for row in rows:
        out[(row.case_id, row.variant)].append(row)
    return out


def _describe(keys: set[tuple[str, str]]) -> str:
    cases = sorted({c for c, _ in keys})
    if all(v == "agent" for _, v in keys):
        return ", ".join(cases)
    return ", ".join(f"{c}/{v}" for c, v in sorted(keys))


def _test_changes(base: Side, cand: Side) -> tuple[TestChange, ...]:
    counts: dict[str, list[int]] = {}
    messages: dict[tuple[str, bool], str] = {}
    order: dict[str, int] = {}
    for is_cand, side in ((False, base), (True, cand)):
        for row in side.valid:
            grade = row.grades.get("tests")
            for i, test in enumerate(grade.tests if grade else ()):
                order.setdefault(test.id, i)
                entry = counts.setdefault(test.id, [0, 0, 0, 0])
                entry[2 * is_cand] += test.outcome == "passed"
                entry[2 * is_cand + 1] += 1
                if test.outcome != "passed":
                    messages.setdefault((test.id, is_cand), test.message)
    changes = []
    for test_id, (bp, bn, cp, cn) in counts.items():
        if bn and cn and bp * cn != cp * bn:
            worse = cp / cn < bp / bn
            changes.append(TestChange(test_id, bp, bn, cp, cn, messages.get((test_id, worse), "")))
    return tuple(sorted(changes, key=lambda c: (not c.worse, order.get(c.test_id, 0))))


def _grader_changes(base: Side, cand: Side) -> tuple[tuple[str, float, float], ...]:
    def rates(side: Side) -> dict[str, float]:
        seen: dict[str, list[bool]] = defaultdict(list)
        for row in side.valid:
            for name, grade in row.grades.items():
                if not grade.infra_error:
                    seen[name].append(grade.passed)
        return {k: sum(v) / len(v) for k, v in seen.items()}

    b, c = rates(base), rates(cand)
    return tuple((g, b[g], c[g]) for g in sorted(set(b) & set(c)) if b[g] != c[g])


def check_pairable(baseline: RunSource, candidate: RunSource) -> None:
    if baseline.offline != candidate.offline:
        which = "baseline" if baseline.offline else "candidate"
        other = "candidate" if baseline.offline else "baseline"
        raise UsageError(
            f"the {which} is an offline run (provider 'reference': known solutions) and the "
            f"{other} used provider "
            f"'{(candidate if baseline.offline else baseline).info.provider}': they measure "
            "different things. Record a baseline with the same provider (make baseline)."
        )


def _common_units(
    base_units: dict, cand_units: dict, only_common: bool
) -> tuple[list[tuple[str, str]], list[str]]:
    """The units both runs have, and what was left out (refused unless ``only_common``)."""
    only_base = set(base_units) - set(cand_units)
    only_cand = set(cand_units) - set(base_units)
    left_out: list[str] = []
    if only_base or only_cand:
        parts = [f"only in the baseline: {_describe(only_base)}"] if only_base else []
        parts += [f"only in the candidate: {_describe(only_cand)}"] if only_cand else []
        detail = "; ".join(parts)
        if not only_common:
            raise UsageError(
                f"the runs do not cover the same cases ({detail}). Re-record the baseline "
                "(make baseline), run the same cases, or pass --only-common to compare the "
                "cases both runs have."
            )
        left_out = [detail]
    common = sorted(set(base_units) & set(cand_units))
    if not common:
        raise UsageError("the runs have no case in common")
    return common, left_out


def _judge(unit: UnitDelta, config: GateConfig) -> tuple[str, ...]:
    """Why this unit alone is a regression the gate can stand behind (empty: it is not)."""
    base, cand = unit.base, unit.cand
    reasons = []
    if unit.must_pass and unit.flip == "pass → fail":
        reasons.append(
            f"must-pass case flipped pass → fail ({base.passed}/{base.n} → {cand.passed}/{cand.n})"
        )
    if unit.comparable and -unit.delta >= config.case_tolerance and unit.p_adjusted < config.alpha:
        adjusted = ", Holm-adjusted" if config.correction == "holm" else ""
        reasons.append(
            f"pass rate dropped {base.rate:.0%} → {cand.rate:.0%} "
            f"(p = {unit.p_adjusted:.3g}{adjusted})"
        )
    return tuple(reasons)


def _infra(units: list[UnitDelta], config: GateConfig) -> list[str]:
    """Why the gate cannot judge: too many infra errors, or units with no graded sample."""
    problems = []
    for name, side_of in (("baseline", "base"), ("candidate", "cand")):
        rows = [r for u in units for r in getattr(u, side_of).rows]
        bad = sum(1 for r in rows if r.infra_error)
        if rows and bad / len(rows) > config.max_infra_rate:
            problems.append(
                f"{bad}/{len(rows)} {name} samples hit infra errors (more than "
                f"{config.max_infra_rate:.0%}): re-run them (evals run --resume)"
            )
    if unjudged := [u.label for u in units if not u.comparable]:
        problems.append(f"no graded sample to compare for: {', '.join(unjudged)}")
    return problems


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else math.nan


def compare(baseline: RunSource, candidate: RunSource, config: GateConfig, *,
            only_common: bool = False) -> GateResult:  # fmt: skip
    """Pair the two runs and reach a verdict."""
    check_pairable(baseline, candidate)
    base_units, cand_units = _units(baseline.rows), _units(candidate.rows)
    if not base_units:
        raise UsageError(f"the baseline has no finished samples: {baseline.path}")
    if not cand_units:
        raise UsageError(f"the candidate has no finished samples: {candidate.path}")
    common, left_out = _common_units(base_units, cand_units, only_common)

    must_pass = set(config.must_pass)
    for source in (candidate, baseline):
        must_pass |= {cid for cid, facts in source.snapshot.cases.items() if facts.must_pass}
    sides = [(Side(tuple(base_units[k])), Side(tuple(cand_units[k]))) for k in common]
    pvalues = [fisher_drop(b.passed, b.n, c.passed, c.n) for b, c in sides]
    adjusted = holm(pvalues) if config.correction == "holm" else list(pvalues)

    units = []
    for (case_id, variant), (base, cand), p, p_adj in zip(
        common, sides, pvalues, adjusted, strict=True
    ):
        before, after = baseline.snapshot.get(case_id), candidate.snapshot.get(case_id)
        unit = UnitDelta(
            case_id=case_id,
            variant=variant,
            must_pass=case_id in must_pass,
            base=base,
            cand=cand,
            base_state=base.state(config.flip_below),
            cand_state=cand.state(config.flip_below),
            p_value=p,
            p_adjusted=p_adj,
            tests=_test_changes(base, cand),
            graders=_grader_changes(base, cand),
            case_changed=bool(
                before and after and before.content_hash
                and before.content_hash != after.content_hash
            ),
        )  # fmt: skip
        units.append(replace(unit, reasons=_judge(unit, config)))

    comparable = [u for u in units if u.comparable]
    rate, score = paired_bootstrap(
        [PairedUnit(u.base.passed, u.base.n, u.cand.passed, u.cand.n,
                    u.base.mean_score, u.cand.mean_score) for u in comparable],
        iterations=int(config.iterations),
        seed=config.seed,
    )  # fmt: skip
    reasons = [f"{u.label}: {r}" for u in units for r in u.reasons]
    if comparable and -rate.estimate >= config.tolerance and rate.high < 0:
        reasons.append(
            f"suite pass rate dropped {-rate.estimate:.1%} (95% CI of the change "
            f"{rate.low:+.1%} to {rate.high:+.1%}), beyond the {config.tolerance:.0%} tolerance"
        )
    return GateResult(
        config=config,
        units=tuple(units),
        rate=rate,
        score=score,
        base_rate=_mean([u.base.rate for u in comparable]),
        cand_rate=_mean([u.cand.rate for u in comparable]),
        base_score=_mean([u.base.mean_score for u in comparable]),
        cand_score=_mean([u.cand.mean_score for u in comparable]),
        reasons=tuple(reasons),
        infra=tuple(_infra(units, config)),
        notes=tuple(_notes(baseline, candidate, units, config)),
        left_out=tuple(left_out),
        offline=candidate.offline,
        agent_changed=baseline.info.agent_sha256 != candidate.info.agent_sha256,
    )


def _notes(
    baseline: RunSource, candidate: RunSource, units: list[UnitDelta], config: GateConfig
) -> list[str]:
    notes = []
    b, c = baseline.info, candidate.info
    if b.agent_sha256 == c.agent_sha256:
        notes.append("The agent file is the same in both runs: any difference is noise.")
    if b.model != c.model:
        notes.append(f"Different models: {b.model} (baseline) vs {c.model} (candidate).")
    if changed := sorted({u.case_id for u in units if u.case_changed}):
        notes.append(
            f"Case definitions changed since the baseline: {', '.join(changed)}. Re-record the "
            "baseline once the change is merged."
        )
    if c.finished_at is None:
        notes.append("The candidate run did not finish.")
    if candidate.offline:
        notes.append(
            "Offline runs: every known solution is its own unit with one sample, so only "
            "must-pass flips and suite-wide drops can fail the gate."
        )
    low = max((u.cand.n for u in units), default=0)
    if not candidate.offline and 0 < low < 3:
        notes.append(
            f"{low} sample(s) per case: too few for a per-case test to reach significance; "
            "only must-pass flips and suite-wide drops can fail the gate (use --samples 5)."
        )
    if config.must_pass:
        notes.append(f"Must-pass from configuration: {', '.join(config.must_pass)}.")
    return notes
