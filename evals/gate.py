"""The regression gate: does a candidate run fall below its baseline by more than noise?

Runs are paired unit by unit. A unit is a case and what played it: for an agent run that is
``(case, "agent")`` over its k samples; for a known-solution run each known solution is its own unit
(``(case, "reference")``, ``(case, "mutant-...")``), since those are different programs.

**Agent runs** are noisy: the same prompt passes a case on some samples and fails it on
others. Every rule that can fail the gate is a test, and all of them together hold the chance
of failing a no-op edit at ``alpha``:

- the suite: a stratified permutation test of the per-sample evidence (pass and share of
  hidden tests passed, see :mod:`evals.evidence`), cases weighted by inverse variance
  (:func:`evals.paired.permutation_test`), given ``suite_share`` of alpha;
- each case: the same permutation test on that case alone (exact), the cases sharing the
  rest of alpha; a must-pass case regresses when its baseline met the bar (pass rate at least
  ``flip_below``) and its pass rate is significantly lower, any other case when the drop is
  significant and at least ``case_tolerance``.
All the p-values go through one weighted Holm procedure (:func:`evals.paired.weighted_holm`):
a rejection hands its share of alpha on, so a significant suite drop lets the cases be tested
at full alpha, and the family-wise error stays at ``alpha`` whatever the dependence.

Why this statistic: a permutation test needs nothing but "a no-op edit leaves each case's
samples exchangeable", so it is exact at one sample per case or fifty, for any correlation of
tests within a sample; within that exact family, weighting each case by the inverse variance
of its change is the most powerful linear statistic against a drop shared by the cases, and
the evidence uses the hidden tests as well as the pass, which only adds power when failures
get deeper and costs none when they do not (``evals.simulate`` checks both).

**Offline runs** play fixed programs: an outcome is a fact, not a draw, so the rules are the
exact ones (a must-pass unit flipping pass → fail, Fisher + Holm per unit, the suite's paired
bootstrap), except that a test whose outcome differs between two gradings of the same code is
flaky and never counts.

Units the gate cannot judge because every sample hit an infra error, or too many infra errors
overall, give exit 3 (unless a regression was found anyway). Inputs that cannot be paired
(missing runs, different cases, a known-solution run against an agent run) are exit 2.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace

from evals import power as pw
from evals.baseline import RunSource
from evals.errors import UsageError
from evals.evidence import Side, TestChange, grader_changes, rules_of, test_changes
from evals.flaky import flaky_tests
from evals.paired import (
    Interval,
    case_bootstrap,
    fisher_drop,
    holm,
    newcombe,
    permutation_test,
    sample_bootstrap,
    weighted_holm,
)
from evals.records import SampleResult
from evals.thresholds import GateConfig
from graders.registry import TESTS, column_order

PASS, REGRESSION, USAGE, INFRA = 0, 1, 2, 3
NAN = Interval(math.nan, math.nan, math.nan)

__all__ = ["GateResult", "Side", "SuiteDecision", "TestChange", "UnitDelta", "compare"]


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
    """One-sided p-value of a drop, unadjusted (permutation for agent runs, Fisher's exact test
    for known solutions)."""
    p_adjusted: float
    """After the multiplicity adjustment over every rule of the gate."""
    tests: tuple[TestChange, ...]
    graders: tuple[tuple[str, float, float], ...]
    """(grader, baseline pass rate, candidate pass rate) where they differ."""
    case_changed: bool
    reasons: tuple[str, ...] = ()
    change: Interval = NAN
    """Change in pass rate with its 95% interval (Newcombe)."""
    evidence: Interval = NAN
    """Change in mean evidence with its 95% interval (samples resampled within each run)."""

    @property
    def label(self) -> str:
        return self.case_id if self.variant == "agent" else f"{self.case_id} / {self.variant}"

    @property
    def other_graders(self) -> tuple[tuple[str, float, float], ...]:
        """:attr:`graders` but the hidden suite's, whose changes :attr:`tests` lists one by
        one, in the registry's column order."""
        others = [g for g in self.graders if g[0] != TESTS]
        return tuple(sorted(others, key=lambda g: (column_order(g[0]), g[0])))

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

    @property
    def flaky(self) -> tuple[str, ...]:
        return tuple(sorted(self.base.flaky | self.cand.flaky))


@dataclass(frozen=True)
class SuiteDecision:
    """The suite rule: what was tested, how, and what it found."""

    method: str
    evidence: Interval
    """Mean over units of the change in evidence, 95% interval (units resampled)."""
    statistic: float
    """The test statistic: inverse-variance weighted mean change in evidence."""
    p_value: float
    p_adjusted: float
    alpha: float
    """The share of alpha the suite test started with."""


@dataclass(frozen=True)
class RuleDelta:
    """Change of one prompt rule: mean over the units testing it of its share of tests."""

    rule: str
    units: int
    base: float
    cand: float
    change: Interval


@dataclass(frozen=True)
class PowerNote:
    """The power this comparison had against a suite-wide drop of ``drop``."""

    drop: float
    power: float
    samples: int
    """Fewest graded samples per case in either run."""
    needed: int | None
    """Samples per case (each run) for the target power; None when out of reach."""
    target: float


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
    incomplete: tuple[str, ...] = ()
    """INCOMPLETE banners of runs compared with --allow-incomplete: what did not run."""
    agent_changed: bool = True
    decision: SuiteDecision | None = None
    rules: tuple[RuleDelta, ...] = ()
    power: PowerNote | None = None
    """None for known-solution runs: one sample of a fixed program is exact."""

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

    @property
    def flaky(self) -> tuple[tuple[str, str], ...]:
        """(unit label, test id) of every flaky test the gate set aside."""
        return tuple((u.label, t) for u in self.units for t in u.flaky)


# --- pairing -----------------------------------------------------------------------------------


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


def check_pairable(baseline: RunSource, candidate: RunSource) -> None:
    if baseline.known_solutions != candidate.known_solutions:
        which, other = ("baseline", "candidate") if baseline.known_solutions else (
            "candidate", "baseline"
        )  # fmt: skip
        known = baseline if baseline.known_solutions else candidate
        agent = candidate if baseline.known_solutions else baseline
        raise UsageError(
            f"the {which} is an offline run (provider '{known.info.provider}': known "
            f"solutions) and the {other} used provider '{agent.info.provider}': they measure "
            "different things. Record a baseline with the same provider (make baseline)."
        )


def check_plan(
    baseline: RunSource, *, known_solutions: bool, provider: str, cases: list[str]
) -> None:
    """Before a candidate run spends anything: could the gate compare it with ``baseline``?

    ``known_solutions``: the run would play known solutions
    (:attr:`evals.providers.ProviderInfo.known_solutions`)."""
    if baseline.known_solutions != known_solutions:
        kind = "an offline run (known solutions)" if baseline.known_solutions else (
            f"an agent run (provider '{baseline.info.provider}')"
        )  # fmt: skip
        raise UsageError(
            f"the baseline {baseline.path} is {kind}, and this run would use provider "
            f"'{provider}': the gate would refuse to compare them after the run had paid. "
            "Record a baseline with the provider the gate runs with (make baseline), or run "
            "with that provider."
        )
    theirs = {row.case_id for row in baseline.rows} or set(baseline.info.case_ids)
    if theirs != set(cases):
        only_base = ", ".join(sorted(theirs - set(cases))) or "none"
        only_run = ", ".join(sorted(set(cases) - theirs)) or "none"
        raise UsageError(
            f"the baseline {baseline.path} covers other cases than this run would (only in "
            f"the baseline: {only_base}; only in this run: {only_run}): re-record the "
            "baseline (make baseline) or run the same cases"
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


def _same_program_flaky(
    baseline: RunSource, candidate: RunSource, base: list[SampleResult], cand: list[SampleResult]
) -> set[str]:
    """Offline: tests whose outcome differs although both runs graded the very same code."""
    from evals.flaky import flaky_between

    found = flaky_between(base, cand)
    if not found:
        return set()
    flaky: set[str] = set()
    by_key = {r.key: r for r in base}
    for row in cand:
        if row.key not in found:
            continue
        facts = candidate.snapshot.get(row.case_id) or baseline.snapshot.get(row.case_id)
        start = dict(facts.workspace) if facts else {}
        before = baseline.changed(by_key[row.key], start)
        after = candidate.changed(row, start)
        if before is not None and before == after:
            flaky |= set(found[row.key])
    return flaky


# --- the rules ---------------------------------------------------------------------------------


def _judge_exact(unit: UnitDelta, config: GateConfig) -> tuple[str, ...]:
    """Deterministic units: why this unit alone is a regression (empty: it is not)."""
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


def _judge_noisy(unit: UnitDelta, config: GateConfig) -> tuple[str, ...]:
    """Agent units: a drop the unit's own test calls significant after the adjustment."""
    base, cand = unit.base, unit.cand
    if not unit.comparable or unit.p_adjusted > config.alpha or not cand.rate < base.rate:
        return ()
    evidence = (
        f"{base.passed}/{base.n} → {cand.passed}/{cand.n}, p = {unit.p_value:.3g}, "
        f"adjusted {unit.p_adjusted:.3g} ≤ {config.alpha:g}"
    )
    if unit.must_pass and base.rate >= config.flip_below:
        return (
            f"must-pass case dropped {base.rate:.0%} → {cand.rate:.0%} from a baseline that met "
            f"the bar ({evidence})",
        )
    if -unit.delta >= config.case_tolerance:
        return (f"pass rate dropped {base.rate:.0%} → {cand.rate:.0%} ({evidence})",)
    return ()


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


def _rules(units: list[UnitDelta], config: GateConfig) -> tuple[RuleDelta, ...]:
    per_rule: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for u in units:
        known = rules_of(u.base, u.cand)
        b, c = u.base.rule_shares(known), u.cand.rule_shares(known)
        for rule in sorted(set(b) & set(c)):
            per_rule[rule].append((b[rule], c[rule]))
    out = []
    for rule, pairs in sorted(per_rule.items()):
        change = case_bootstrap(
            [c - b for b, c in pairs], iterations=int(config.iterations), seed=config.seed
        )
        out.append(
            RuleDelta(rule, len(pairs), _mean([b for b, _ in pairs]), _mean([c for _, c in pairs]),
                      change)
        )  # fmt: skip
    return tuple(out)


def _power(units: list[UnitDelta], config: GateConfig) -> PowerNote | None:
    comparable = [u for u in units if u.comparable]
    if not comparable:
        return None
    comps = pw.estimate(
        [(u.base.passed + u.cand.passed, u.base.n + u.cand.n) for u in comparable],
        [s for u in comparable for s in (*u.base.fail_shares, *u.cand.fail_shares)],
    )
    alpha = config.alpha * (config.suite_share if config.correction == "holm" else 1.0)
    base_n = [u.base.n for u in comparable]
    cand_n = [u.cand.n for u in comparable]
    return PowerNote(
        drop=config.tolerance,
        power=pw.power(comps, config.tolerance, alpha, base_n, cand_n),
        samples=min(base_n + cand_n),
        needed=pw.samples_needed(comps, config.tolerance, alpha, config.power),
        target=config.power,
    )


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
    exact = candidate.known_solutions

    must_pass = set(config.must_pass)
    for source in (candidate, baseline):
        must_pass |= {cid for cid, facts in source.snapshot.cases.items() if facts.must_pass}
    marked = flaky_tests(baseline.rows)
    for case_id, ids in flaky_tests(candidate.rows).items():
        marked[case_id] = marked.get(case_id, set()) | ids
    sides = []
    for key in common:
        flaky = set(marked.get(key[0], ()))
        if exact:
            flaky |= _same_program_flaky(baseline, candidate, base_units[key], cand_units[key])
        frozen = frozenset(flaky)
        sides.append((Side(tuple(base_units[key]), frozen), Side(tuple(cand_units[key]), frozen)))

    iterations, seed = int(config.iterations), config.seed
    holm_on = config.correction == "holm"
    decision = None
    if exact:
        pvalues = [fisher_drop(b.passed, b.n, c.passed, c.n) for b, c in sides]
        adjusted = holm(pvalues) if holm_on else list(pvalues)
    else:
        test = permutation_test(
            [b.evidence for b, _ in sides], [c.evidence for _, c in sides],
            iterations=iterations, seed=seed,
        )  # fmt: skip
        pvalues = list(test.unit_p)
        judged = [i for i, (b, c) in enumerate(sides) if b.n and c.n]
        share = config.suite_share
        weights = [share] + [(1 - share) / max(len(judged), 1) if i in judged else 0.0
                             for i in range(len(sides))]  # fmt: skip
        every = weighted_holm([test.p_value, *pvalues], weights) if holm_on else None
        suite_adj = every[0] if every else test.p_value
        adjusted = every[1:] if every else list(pvalues)
        changes = [c.mean_evidence - b.mean_evidence for b, c in sides if b.n and c.n]
        decision = SuiteDecision(
            method=(
                "stratified permutation test of the per-sample evidence (pass and share of "
                "hidden tests passed), cases weighted by inverse variance"
            ),
            evidence=case_bootstrap(changes, iterations=iterations, seed=seed),
            statistic=test.estimate,
            p_value=test.p_value,
            p_adjusted=suite_adj,
            alpha=config.alpha * (share if holm_on else 1.0),
        )

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
            tests=test_changes(base, cand),
            graders=grader_changes(base, cand),
            case_changed=bool(
                before and after and before.content_hash
                and before.content_hash != after.content_hash
            ),
            change=newcombe(base.passed, base.n, cand.passed, cand.n),
            evidence=sample_bootstrap(base.evidence, cand.evidence, iterations=iterations,
                                      seed=seed),
        )  # fmt: skip
        judge = _judge_exact if exact else _judge_noisy
        units.append(replace(unit, reasons=judge(unit, config)))

    comparable = [u for u in units if u.comparable]
    reasons = [f"{u.label}: {r}" for u in units for r in u.reasons]
    rate = case_bootstrap([u.delta for u in comparable], iterations=iterations, seed=seed)
    score = case_bootstrap([u.score_delta for u in comparable], iterations=iterations,
                           seed=seed)  # fmt: skip
    if exact:
        if comparable and -rate.estimate >= config.tolerance and rate.high < 0:
            reasons.append(
                f"suite pass rate dropped {-rate.estimate:.1%} (95% CI of the change "
                f"{rate.low:+.1%} to {rate.high:+.1%}), beyond the {config.tolerance:.0%} "
                "tolerance"
            )
    else:
        assert decision is not None
        if comparable and decision.p_adjusted <= config.alpha and decision.statistic < 0:
            reasons.append(
                f"suite pass rate dropped {-rate.estimate:.1%} (95% CI of the change "
                f"{rate.low:+.1%} to {rate.high:+.1%}); the evidence (pass and hidden tests) "
                f"dropped {-decision.evidence.estimate:.1%}, p = {decision.p_value:.3g}, "
                f"adjusted {decision.p_adjusted:.3g} ≤ {config.alpha:g}"
            )
    power = None if exact else _power(units, config)
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
        notes=tuple(_notes(baseline, candidate, units, config, power)),
        left_out=tuple(left_out),
        agent_changed=baseline.info.agent_sha256 != candidate.info.agent_sha256,
        decision=decision,
        rules=_rules(comparable, config),
        power=power,
    )


def _notes(
    baseline: RunSource,
    candidate: RunSource,
    units: list[UnitDelta],
    config: GateConfig,
    power: PowerNote | None,
) -> list[str]:
    notes = []
    b, c = baseline.info, candidate.info
    if b.claude_code_version != c.claude_code_version:
        notes.append(
            f"Different Claude Code: {b.claude_code_version or 'none (the harness loop)'} "
            f"(baseline) vs {c.claude_code_version or 'none (the harness loop)'} (candidate). "
            "Claude Code's prompts and tools are part of the unit under test: a change of "
            "version is a change like a prompt edit."
        )
    elif b.agent_sha256 == c.agent_sha256:
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
    if candidate.known_solutions:
        notes.append(
            "Offline runs: every known solution is a fixed program and its own unit with one "
            "sample, so outcomes are exact: must-pass flips and suite-wide drops fail the gate."
        )
    if flaky := sorted({f"{u.case_id}: {t}" for u in units for t in u.flaky}):
        notes.append(
            f"Flaky hidden tests (outcome differs when the same code is graded twice), never "
            f"counted: {'; '.join(flaky)}."
        )
    if power is not None and power.power < power.target:
        more = (
            f"{power.needed} samples per case in each run would have {power.target:.0%}"
            if power.needed
            else "no affordable sample count reaches it"
        )
        notes.append(
            f"Too small to see a {power.drop:.0%} drop: with {power.samples} sample(s) per "
            f"case the suite test had {power.power:.0%} power to catch every case dropping by "
            f"{power.drop:.0%}; {more} (evals plan RUN)."
        )
    if config.must_pass:
        notes.append(f"Must-pass from configuration: {', '.join(config.must_pass)}.")
    return notes
