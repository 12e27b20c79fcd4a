"""``evals plan``: how many samples per case a gate needs to see a given drop, and the bill.

From one run (typically the baseline) it estimates the variance components the gate's power
depends on (:mod:`evals.power`), and prints the samples per case that give the target power
against a suite-wide drop of the given size at the gate's alpha, with what a run of that size
costs in tokens, dollars and wall time, interactive and with ``--batch``, from the run's own
accounting.

A deterministic run (offline: every known solution is a fixed program) has no sampling noise
to measure: a second sample would repeat the first. Its plan is for an agent run of the same
suite, with per-case pass probabilities assumed to spread evenly over a range (0.30 to 0.95
unless told) and failure depth measured on the run's mutants; its token accounting is that of
the scripted sessions measured on the fake Messages API (the README's cost table).
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from evals import power as pw
from evals.baseline import RunSource
from evals.config import default
from evals.evidence import Side
from evals.flaky import flaky_tests
from evals.models import BATCH_DISCOUNT, cost_usd, price_for, resolve
from evals.records import SampleResult, Usage
from evals.thresholds import GateConfig
from graders.registry import TESTS

SCRIPTED_USAGE = Usage(
    input_tokens=0, cache_read_tokens=27_500, cache_write_tokens=14_800, output_tokens=5_500
)
"""Mean tokens of one sample's session, as measured on the fake Messages API (README, "What it
costs"): the floor a real session starts from; used when the run has no accounting."""
ASSUMED_GEN_S = 180.0
"""Generation wall time per sample assumed without accounting: a 20-turn session."""
ASSUMED_TURNS = 20
BATCH_TURNAROUND_S = 600.0
"""Assumed wait for one Message Batch (typically minutes; the API allows up to 24 hours)."""
POWER_TABLE = (1, 3, 5, 10, 15, 20, 30, 50)
WIDTH = 94


@dataclass(frozen=True)
class Accounting:
    """What one sample costs, per the run (or the documented assumption)."""

    usage: Usage
    dollars: float
    """Interactive price of one sample."""
    gen_s: float
    grade_s: float
    turns: float
    concurrency: int
    model: str
    measured: bool


@dataclass(frozen=True)
class Plan:
    run: str
    deterministic: bool
    cases: int
    samples: int
    """Samples per case in the run planned from."""
    components: pw.Components
    drop: float
    alpha: float
    """One-sided level of the suite test (its share of the gate's alpha)."""
    target: float
    needed: int | None
    curve: tuple[tuple[int, float], ...]
    accounting: Accounting
    flaky: tuple[str, ...]
    spread: tuple[float, float] = pw.DEFAULT_SPREAD


def _icc(rows: list[SampleResult]) -> float | None:
    """Intraclass correlation of hidden-test outcomes within a sample (one-way ANOVA), pooled
    over cases: 0 when tests fail independently, 1 when a sample passes or fails them all."""
    by_case: dict[str, list[list[int]]] = defaultdict(list)
    for row in rows:
        grade = row.grades.get(TESTS)
        if row.infra_error or grade is None or not grade.tests:
            continue
        by_case[row.case_id].append([t.outcome == "passed" for t in grade.tests])
    between = within = 0.0
    df_b = df_w = 0
    sizes = []
    for samples in by_case.values():
        width = len(samples[0])
        samples = [s for s in samples if len(s) == width]
        if len(samples) < 2 or width < 2:
            continue
        means = [sum(s) / width for s in samples]
        grand = sum(means) / len(means)
        between += width * sum((m - grand) ** 2 for m in means)
        within += sum((x - m) ** 2 for s, m in zip(samples, means, strict=True) for x in s)
        df_b += len(samples) - 1
        df_w += len(samples) * (width - 1)
        sizes.append(width)
    if not df_b or not df_w:
        return None
    msb, msw = between / df_b, within / df_w
    mean_width = sum(sizes) / len(sizes)
    denominator = msb + (mean_width - 1) * msw
    return max(0.0, (msb - msw) / denominator) if denominator > 0 else None


def _accounting(source: RunSource, rows: list[SampleResult]) -> Accounting:
    info = source.info
    concurrency = int(info.options.get("concurrency") or default("concurrency"))
    model = info.model
    if source.known_solutions or not rows or not any(r.usage.output_tokens for r in rows):
        from evals.agent import parse_agent_text

        try:
            model = resolve(parse_agent_text(info.agent_text, Path(info.agent_path)).model)
        except Exception:  # a stored agent file that no longer parses: the default model
            model = resolve(None)
        grade_s = sum(r.grade_latency_s for r in rows) / len(rows) if rows else 0.0
        return Accounting(
            SCRIPTED_USAGE, cost_usd(model, SCRIPTED_USAGE), ASSUMED_GEN_S, grade_s,
            ASSUMED_TURNS, concurrency, model, measured=False,
        )  # fmt: skip
    n = len(rows)
    usage = Usage(
        input_tokens=round(sum(r.usage.input_tokens for r in rows) / n),
        output_tokens=round(sum(r.usage.output_tokens for r in rows) / n),
        cache_read_tokens=round(sum(r.usage.cache_read_tokens for r in rows) / n),
        cache_write_tokens=round(sum(r.usage.cache_write_tokens for r in rows) / n),
    )
    try:
        price_for(model)
        dollars = cost_usd(model, usage)  # replies served from the response cache cost $0
    except Exception:
        dollars = sum(r.cost_usd for r in rows) / n
        if info.options.get("batch"):
            dollars /= BATCH_DISCOUNT
    return Accounting(
        usage, dollars, sum(r.gen_latency_s for r in rows) / n,
        sum(r.grade_latency_s for r in rows) / n, sum(r.turns for r in rows) / n,
        concurrency, model, measured=True,
    )  # fmt: skip


def make_plan(
    source: RunSource,
    config: GateConfig,
    *,
    drop: float | None = None,
    spread: tuple[float, float] = pw.DEFAULT_SPREAD,
) -> Plan:
    drop = config.tolerance if drop is None else drop
    rows = [r for r in source.rows if not r.infra_error]
    flaky = flaky_tests(rows)
    sides: dict[str, list[SampleResult]] = defaultdict(list)
    for row in rows:
        sides[row.case_id].append(row)
    cases = sorted(sides)
    if source.known_solutions:
        # Known solutions are programs, not draws: what a failure looks like comes from the
        # mutants; how often an agent fails must be assumed.
        failing = [
            s
            for c in cases
            for side in [Side(tuple(sides[c]), frozenset(flaky.get(c, ())))]
            for s in side.fail_shares
        ]
        depth = pw.estimate([(1, 1)], failing)
        components = pw.assumed(len(cases), spread, (depth.depth_mean, depth.depth_var))
        components = pw.Components(
            components.pass_rates, components.depth_mean, components.depth_var,
            icc=_icc(rows), between_case_sd=components.between_case_sd, assumed=True,
        )  # fmt: skip
        per_case = 1
    else:
        per = [Side(tuple(sides[c]), frozenset(flaky.get(c, ()))) for c in cases]
        components = pw.estimate(
            [(s.passed, s.n) for s in per], [x for s in per for x in s.fail_shares], icc=_icc(rows)
        )
        per_case = min(s.n for s in per) if per else 0
    alpha = config.alpha * (config.suite_share if config.correction == "holm" else 1.0)
    m = len(components.pass_rates)
    curve = tuple((k, pw.power(components, drop, alpha, [k] * m, [k] * m)) for k in POWER_TABLE)
    return Plan(
        run=str(source.path),
        deterministic=source.known_solutions,
        cases=len(cases),
        samples=per_case,
        components=components,
        drop=drop,
        alpha=alpha,
        target=config.power,
        needed=pw.samples_needed(components, drop, alpha, config.power),
        curve=curve,
        accounting=_accounting(source, rows),
        flaky=tuple(f"{c}: {t}" for c, ids in sorted(flaky.items()) for t in sorted(ids)),
        spread=spread,
    )


def _tokens(n: float) -> str:
    return f"{n / 1e6:.1f}M" if n >= 1e6 else f"{n / 1e3:.0f}k"


def _wall(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def costs(plan: Plan, samples: int) -> list[str]:
    a = plan.accounting
    n = plan.cases * samples
    tokens = (
        a.usage.input_tokens
        + a.usage.output_tokens
        + a.usage.cache_read_tokens
        + a.usage.cache_write_tokens
    )
    interactive = math.ceil(n / max(a.concurrency, 1)) * (a.gen_s + a.grade_s)
    batch = a.turns * BATCH_TURNAROUND_S  # every sample's turn shares one batch
    return [
        f"  one run of {plan.cases} cases x {samples} samples = {n} samples "
        f"({_tokens(tokens * n)} tokens, {_tokens(a.usage.output_tokens * n)} of them output)",
        f"    interactive: ${a.dollars * n:,.2f}, about {_wall(interactive)} at "
        f"--concurrency {a.concurrency}",
        f"    --batch:     ${a.dollars * n * BATCH_DISCOUNT:,.2f}, about {_wall(batch)} at "
        f"--concurrency {n}",
        f"                 ({a.turns:.0f} turns x {BATCH_TURNAROUND_S / 60:.0f} min per batch "
        "assumed; a batch may take up to 24 h)",
        "  each gate runs the candidate at this size; the baseline is run at the same size",
        "  once per accepted edit (make baseline)",
    ]


def render(plan: Plan) -> str:
    c = plan.components
    lines = [f"evals plan: {plan.run}", ""]
    if plan.deterministic:
        lines += textwrap.wrap(
            "This run is deterministic (provider 'reference': each known solution is a fixed "
            "program, graded once). A second sample would repeat the first, so there is no "
            "noise to plan for: offline, one sample is exact.",
            WIDTH,
        )
        lines.append("")
        lines += textwrap.wrap(
            f"For an agent run of this suite ({plan.cases} cases), assuming per-case pass "
            f"probabilities spread evenly over {plan.spread[0]:.2f} to {plan.spread[1]:.2f} "
            "(--spread LO HI):",
            WIDTH,
        )
    else:
        lines.append(f"Measured on {plan.cases} cases, {plan.samples}+ samples per case:")
    icc = "not measurable" if c.icc is None else f"{c.icc:.2f}"
    mean_p = sum(c.pass_rates) / len(c.pass_rates) if c.pass_rates else math.nan
    within = (
        sum(p * (1 - p) for p in c.pass_rates) / len(c.pass_rates) if c.pass_rates else math.nan
    )
    lines += [
        f"  pass probability: mean {mean_p:.2f}, between-case SD "
        f"{c.between_case_sd if c.between_case_sd is not None else math.nan:.2f}"
        f"{' (assumed)' if c.assumed else ''}",
        f"  within-case variance of a sample's pass: mean p(1-p) = {within:.3f}",
        f"  failing samples still pass {c.depth_mean:.0%} of their hidden tests "
        f"(SD {math.sqrt(c.depth_var):.2f}){' (from the mutants)' if plan.deterministic else ''}",
        f"  hidden tests within a {'known solution' if plan.deterministic else 'sample'}: "
        f"intraclass correlation {icc}",
        "    (tests are not independent draws: the sample is the unit)",
        "",
        f"Suite test at one-sided alpha {plan.alpha:.3f} (its share of the gate's alpha), "
        f"every case dropping {plan.drop:.0%}:",
        "  samples per case  " + "  ".join(f"{k:>4}" for k, _ in plan.curve),
        "  power             " + "  ".join(f"{p:>4.0%}" for _, p in plan.curve),
        "",
    ]
    if plan.needed is None:
        lines.append(f"No affordable sample count reaches {plan.target:.0%} power.")
    else:
        lines.append(
            f"Recommended: {plan.needed} samples per case in each run for {plan.target:.0%} "
            f"power (evals run --samples {plan.needed}).",
        )
        lines += costs(plan, plan.needed)
    a = plan.accounting
    source = (
        "this run's accounting"
        if a.measured
        else "the scripted session measured on the fake API (README); a real session costs "
        "about 3-5x more"
    )
    lines += textwrap.wrap(
        f"(per sample: ${a.dollars:.3f} on {a.model}, {a.gen_s:.0f}s generation + "
        f"{a.grade_s:.0f}s grading; from {source})",
        WIDTH, initial_indent="  ", subsequent_indent="   ",
    )  # fmt: skip
    if plan.flaky:
        lines += ["", f"Flaky hidden tests (not counted by the gate): {'; '.join(plan.flaky)}"]
    return "\n".join(lines)
