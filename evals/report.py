"""``report.html``: one self-contained page per run, from the run folder alone.

Header (what was evaluated, with what, at what cost), a summary (suite pass rate with its
95% interval, scores per grader and per prompt responsibility, as charts and tables), a
sortable table of cases, infra errors set apart, then per case its failing tests with their
messages and every sample's drill-down (transcript, final files diffed against the starting
workspace with findings at their lines, each hidden test's outcome, grading logs).

Drill-downs are rendered inside ``<noscript>`` in a closed ``<details>``: with JavaScript off
the browser shows them as ordinary HTML; with it on they stay unparsed text until opened, so a
report of a thousand samples opens quickly.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Template
from markupsafe import Markup

from evals import score
from evals.codeview import Highlighter
from evals.completeness import completeness
from evals.config import DEFAULT_CASES
from evals.drilldown import SampleDetail, sample_detail
from evals.paired import SUITE_INTERVAL
from evals.providers import PROVIDERS
from evals.records import RunInfo, SampleResult
from evals.rules import RULES
from evals.snapshot import CaseFacts, CaseSnapshot, ensure_snapshot
from evals.store import RunStore, atomic_write
from evals.templating import environment, render, slug
from graders import registry
from graders.registry import IMPORTS, TESTS

if TYPE_CHECKING:
    import pandas as pd

HIGHLIGHT_BUDGET = 3_000_000
"""Characters of code highlighted per report (Python lexes at roughly 0.2-0.5 MB/s, so 5-15 s);
the rest is shown without colour, and the report says how many files."""


@dataclass(frozen=True)
class Header:
    info: RunInfo
    offline: bool
    """No model was called (:attr:`evals.providers.ProviderInfo.offline`)."""
    known_solutions: bool
    """The run played known solutions: judged by "as expected", not by a pass rate."""
    offline_note: str
    duration_s: float | None
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    cost_usd: float
    stand_in: tuple[str, ...]


@dataclass(frozen=True)
class GraderStat:
    name: str
    display: str
    mean_score: float
    pass_rate: float
    samples: int
    infra: int


@dataclass(frozen=True)
class TagStat:
    rule: str
    description: str
    mean_score: float
    samples: int


@dataclass(frozen=True)
class FailedTest:
    test_id: str
    outcome: str
    rules: tuple[str, ...]
    failed_in: tuple[str, ...]
    """Labels of the samples the test did not pass in."""
    of: int
    """Graded samples of the case that ran the test."""
    message: str


@dataclass(frozen=True)
class SampleRow:
    anchor: str
    label: str
    variant: str
    passed: bool
    expected_pass: bool | None
    infra_error: str | None
    score: float
    graders: dict[str, float | None]
    tests_passed: int
    tests_total: int
    cost_usd: float
    gen_latency_s: float
    grade_latency_s: float
    stop: str
    turns: int
    tokens: int
    detail: Markup

    @property
    def as_expected(self) -> bool | None:
        if self.expected_pass is None or self.infra_error:
            return None
        return self.passed == self.expected_pass

    @property
    def verdict(self) -> str:
        return "infra" if self.infra_error else ("pass" if self.passed else "fail")


@dataclass(frozen=True)
class CaseRow:
    id: str
    anchor: str
    title: str
    tags: tuple[str, ...]
    must_pass: bool
    samples: int
    valid: int
    passed: int
    pass_rate: float
    mean_score: float
    graders: dict[str, float | None]
    cost_usd: float
    gen_latency_s: float
    grade_latency_s: float
    infra: int
    expected_ok: int
    expected_known: int
    failures: tuple[FailedTest, ...]
    task: str
    """The task prompt as the samples received it (from the first transcript)."""
    import_errors: tuple[tuple[str, str], ...]
    """(sample label, first import error) per sample whose code does not import."""
    rows: tuple[SampleRow, ...]
    requirements: tuple[RequirementRow, ...] = ()


@dataclass(frozen=True)
class RequirementRow:
    """One requirement of the case's prompt, and how the run's samples fared on it."""

    id: str
    quote: str
    waived: str
    tests: tuple[str, ...]
    met: int
    """Graded samples in which every test of the requirement passed."""
    of: int


def requirement_rows(facts: CaseFacts | None, rows: list[SampleResult]) -> tuple:
    if facts is None:
        return ()
    graded = [r for r in rows if not r.infra_error and TESTS in r.grades]
    out = []
    for req in facts.requirements:
        wanted = set(req.tests)
        met = of = 0
        for r in graded:
            outcomes = [t.outcome for t in r.grades[TESTS].tests if t.id.split("[")[0] in wanted]
            # A sample graded on some tests only (a validation run's mutant) that ran none of
            # this requirement's says nothing about it.
            of += bool(outcomes)
            met += bool(outcomes) and all(o == "passed" for o in outcomes)
        out.append(
            RequirementRow(
                id=req.id,
                quote=req.quote,
                waived=req.waived,
                tests=tuple(req.tests),
                met=met if wanted else 0,
                of=of if wanted else 0,
            )
        )
    return tuple(out)


def _variant_order(variant: str) -> tuple[int, str]:
    kind = variant.split("-", 1)[0]
    return ({"agent": 0, "reference": 1, "alternative": 2, "mutant": 3}.get(kind, 4), variant)


def _label(row: SampleResult, samples_per_variant: int) -> str:
    return row.variant if samples_per_variant == 1 else f"{row.variant} #{row.sample}"


def _parse_time(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def header(info: RunInfo, rows: list[SampleResult]) -> Header:
    start, end = _parse_time(info.started_at), _parse_time(info.finished_at)
    provider = PROVIDERS.get(info.provider)
    offline = bool(provider and provider.offline)
    known_solutions = bool(provider and provider.known_solutions)
    offline_note = ""
    if provider and offline:
        offline_note = f"Offline run: no model was called; it played {provider.records}."
        if known_solutions:
            offline_note += " Each known solution is judged as expected or not: mutants must fail."
    stand_in = info.options.get("stand_in") or []
    return Header(
        info=info,
        offline=offline,
        known_solutions=known_solutions,
        offline_note=offline_note,
        duration_s=(end - start).total_seconds() if start and end else None,
        input_tokens=sum(r.usage.input_tokens for r in rows),
        output_tokens=sum(r.usage.output_tokens for r in rows),
        cache_read_tokens=sum(r.usage.cache_read_tokens for r in rows),
        cache_write_tokens=sum(r.usage.cache_write_tokens for r in rows),
        cost_usd=sum(r.cost_usd for r in rows),
        stand_in=tuple(str(s) for s in stand_in),
    )


def grader_stats(rows: list[SampleResult]) -> list[GraderStat]:
    scores: dict[str, list[float]] = defaultdict(list)
    passes: dict[str, list[bool]] = defaultdict(list)
    infra: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.infra_error:
            for name, grade in row.grades.items():
                infra[name] += bool(grade.infra_error)
            continue
        for name, grade in row.grades.items():
            scores[name].append(grade.score)
            passes[name].append(grade.passed)
    names = sorted(set(scores) | set(infra), key=lambda n: (registry.column_order(n), n))
    return [
        GraderStat(
            name=n,
            display=registry.display(n),
            mean_score=_mean(scores[n]),
            pass_rate=_mean([float(p) for p in passes[n]]),
            samples=len(scores[n]),
            infra=infra[n],
        )
        for n in names
    ]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def tag_stats(frame) -> list[TagStat]:
    table = score.per_tag(frame)
    return [
        TagStat(str(t.rule), RULES.get(str(t.rule), ""), float(t.mean_score), int(t.samples))
        for t in table.itertuples()
    ]


def failed_tests(rows: list[SampleResult], labels: dict[tuple, str]) -> tuple[FailedTest, ...]:
    graded = [r for r in rows if not r.infra_error and TESTS in r.grades]
    found: dict[str, dict] = {}
    for row in graded:
        for test in row.grades[TESTS].tests:
            if test.outcome == "passed":
                continue
            entry = found.setdefault(
                test.id,
                {"outcome": test.outcome, "rules": tuple(test.rules), "in": [], "msg": ""},
            )
            entry["in"].append(labels[row.key])
            entry["msg"] = entry["msg"] or test.message
    order: dict[str, int] = {}
    ran: Counter[str] = Counter()  # samples that ran each test (all, unless some ran a selection)
    for row in graded:
        for i, test in enumerate(row.grades[TESTS].tests):
            order.setdefault(test.id, i)
            ran[test.id] += 1
    return tuple(
        FailedTest(tid, e["outcome"], e["rules"], tuple(e["in"]), ran[tid], e["msg"])
        for tid, e in sorted(found.items(), key=lambda kv: order.get(kv[0], 0))
    )


def _import_errors(rows: list[SampleResult], labels: dict[tuple, str]) -> tuple:
    out = []
    for row in rows:
        grade = row.grades.get(IMPORTS)
        if grade and not grade.infra_error and grade.findings:
            first = grade.findings[0]
            out.append((labels[row.key], f"{first.path}: {first.message}"))
    return tuple(out)


@dataclass
class _Context:
    """What building every case's rows shares: the run, and caches across samples."""

    store: RunStore
    snapshot: CaseSnapshot
    stats: dict
    hl: Highlighter
    views: dict
    detail_template: Template


def sample_row(ctx: _Context, r: SampleResult, label: str, facts: CaseFacts | None,
               detail: SampleDetail) -> SampleRow:  # fmt: skip
    return SampleRow(
        anchor=slug(f"s-{r.case_id}-{r.variant}-{r.sample}"),
        label=label,
        variant=r.variant,
        passed=r.passed,
        expected_pass=r.expected_pass,
        infra_error=r.infra_error,
        score=r.score,
        graders={n: (None if g.infra_error else g.score) for n, g in r.grades.items()},
        # The tests grader's own count (the hidden suite), as its row in Graders shows it.
        tests_passed=sum(t.outcome == "passed" for t in _hidden(r)),
        tests_total=len(_hidden(r)),
        cost_usd=r.cost_usd,
        gen_latency_s=r.gen_latency_s,
        grade_latency_s=r.grade_latency_s,
        stop=r.stop,
        turns=r.turns,
        tokens=r.usage.input_tokens + r.usage.output_tokens,
        # The imports grade's findings are listed in their own section, not counted again.
        detail=Markup(
            ctx.detail_template.render(d=detail, row=r, facts=facts, imports_grader=IMPORTS)
        ),
    )


def _hidden(row: SampleResult) -> list:
    grade = row.grades.get(TESTS)
    return list(grade.tests) if grade else []


def what_failed(cases: list[CaseRow]) -> list[str]:
    """One line per case that failed, for the box at the top of a failing report."""
    lines = []
    for c in cases:
        if c.expected_known:
            wrong = [s.label for s in c.rows if s.as_expected is False]
            if wrong:
                lines.append(f"{c.id}: not as expected: {', '.join(wrong)}")
            continue
        if c.valid and c.passed < c.valid:
            tests = ", ".join(f.test_id for f in c.failures[:3])
            more = f" and {len(c.failures) - 3} more" if len(c.failures) > 3 else ""
            failing = f": {tests}{more}" if tests else ""
            must = " (must pass)" if c.must_pass else ""
            lines.append(f"{c.id}{must}: {c.valid - c.passed}/{c.valid} sample(s) failed{failing}")
    return lines


def case_row(ctx: _Context, case_id: str, rows: list[SampleResult]) -> CaseRow:
    rows = sorted(rows, key=lambda r: (_variant_order(r.variant), r.sample))
    per_variant: dict[str, int] = defaultdict(int)
    for r in rows:
        per_variant[r.variant] += 1
    labels = {r.key: _label(r, per_variant[r.variant]) for r in rows}
    facts = ctx.snapshot.get(case_id)
    sample_rows, task = [], ""
    for r in rows:
        detail = sample_detail(ctx.store, r, facts, ctx.hl, ctx.views)
        task = task or detail.task
        sample_rows.append(sample_row(ctx, r, labels[r.key], facts, detail))
    st = ctx.stats.get(case_id)
    valid = [r for r in rows if not r.infra_error]
    known = [s for s in sample_rows if s.as_expected is not None]
    return CaseRow(
        id=case_id,
        anchor=slug(f"c-{case_id}"),
        title=facts.title if facts else "",
        tags=tuple(facts.tags) if facts else (),
        must_pass=bool(facts and facts.must_pass),
        samples=len(rows),
        valid=len(valid),
        passed=sum(r.passed for r in valid),
        pass_rate=float(st.pass_rate) if st is not None else math.nan,
        mean_score=float(st.mean_score) if st is not None else math.nan,
        graders={
            g: (float(getattr(st, g)) if st is not None and hasattr(st, g) else None)
            for g in registry.names()
        },
        cost_usd=sum(r.cost_usd for r in rows),
        gen_latency_s=_mean([r.gen_latency_s for r in rows]),
        grade_latency_s=_mean([r.grade_latency_s for r in rows]),
        infra=len(rows) - len(valid),
        expected_ok=sum(bool(s.as_expected) for s in known),
        expected_known=len(known),
        failures=failed_tests(rows, labels),
        task=task,
        import_errors=_import_errors(rows, labels),
        rows=tuple(sample_rows),
        requirements=requirement_rows(facts, rows),
    )


def build(
    run_dir: Path,
    cases_dir: Path = DEFAULT_CASES,
    rows: list[SampleResult] | None = None,
    frame: pd.DataFrame | None = None,
) -> dict:
    """Everything the template needs (also what the tests inspect).

    ``rows`` and ``frame`` are the run's results when the caller has them already (the end
    of ``evals run``); otherwise they are read from the folder.
    """
    store = RunStore.open(run_dir)
    info = store.read_info()
    if rows is None:
        rows = store.results()
    if frame is None:
        frame = score.to_frame(rows)
    per_case = score.per_case(frame)
    ctx = _Context(
        store=store,
        snapshot=ensure_snapshot(store.root, cases_dir, info.case_ids),
        stats={str(r.case_id): r for r in per_case.itertuples()} if not per_case.empty else {},
        hl=Highlighter(HIGHLIGHT_BUDGET),
        views={},
        detail_template=environment().get_template("_sample.html.j2"),
    )
    by_case: dict[str, list[SampleResult]] = defaultdict(list)
    for row in rows:
        by_case[row.case_id].append(row)
    order = [*info.case_ids, *sorted(set(by_case) - set(info.case_ids))]
    cases = [case_row(ctx, case_id, by_case.get(case_id, [])) for case_id in order]
    known = [s for c in cases for s in c.rows if s.as_expected is not None]
    state = completeness(info, rows)
    return {
        "incomplete": None if state.complete else state.banner(str(store.root)),
        "what_failed": what_failed(cases),
        "spend": {
            "paid": info.paid_usd,
            "reused": info.reused_usd,
            "resent": info.resent,
            "invocations": len(info.invocations),
        },
        "h": header(info, rows),
        "suite": score.suite(frame) if not frame.empty else None,
        "suite_interval": SUITE_INTERVAL,
        "graders": grader_stats(rows),
        "graders_present": [
            g for g in registry.GRADERS if any(c.graders.get(g.name) is not None for c in cases)
        ],
        "tags": tag_stats(frame) if not frame.empty else [],
        "cases": cases,
        "infra_rows": [(c, s) for c in cases for s in c.rows if s.infra_error],
        "expected": (sum(bool(s.as_expected) for s in known), len(known)),
        "highlight_plain": ctx.hl.plain,
        "samples": len(rows),
    }


def write_report(
    run_dir: Path,
    cases_dir: Path = DEFAULT_CASES,
    rows: list[SampleResult] | None = None,
    frame: pd.DataFrame | None = None,
) -> Path:
    """Write (or rewrite) the run's report; returns its path (``rows``, ``frame``: see
    :func:`build`)."""
    context = build(Path(run_dir), cases_dir, rows, frame)
    html = render("report.html.j2", **context)
    path = RunStore(Path(run_dir)).layout.report
    atomic_write(path, html, what="the report")
    return path
