"""The plain-text summary printed at the end of a run (standard error)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evals.paired import SUITE_INTERVAL
from evals.records import RunInfo, SampleResult
from graders.registry import TESTS

if TYPE_CHECKING:
    import pandas as pd


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def render(
    info: RunInfo,
    rows: list[SampleResult],
    where: str = "RUN",
    *,
    frame: pd.DataFrame | None = None,
) -> str:
    """The summary; ``where`` is the run folder, as the resume command names it; ``frame``
    is ``rows`` as :func:`evals.score.to_frame` made them, when the caller has it already."""
    from evals.completeness import completeness

    parts = [_results(info, rows, frame)] if rows else ["no samples finished"]
    parts += [line for line in (infra_causes(rows), failing_tests(rows)) if line]
    parts += accounting_lines(info)
    state = completeness(info, rows)
    if not state.complete:
        parts.append(state.banner(where))
    return "\n\n".join(parts)


def _results(info: RunInfo, rows: list[SampleResult], frame: pd.DataFrame | None) -> str:
    from evals import score

    if frame is None:
        frame = score.to_frame(rows)
    parts = [
        f"run {info.run_id}  agent {info.agent_name} ({info.agent_sha256[:12]})  "
        f"provider {info.provider}  model {info.model}  isolation {info.isolation}"
    ]
    if any(r.expected_pass is not None for r in rows):
        table = []
        for r in sorted(rows, key=lambda r: (r.case_id, r.variant != "reference", r.variant)):
            tests = r.grades.get(TESTS)
            counts = (
                f"{sum(t.outcome == 'passed' for t in tests.tests)}/{len(tests.tests)}"
                if tests
                else "-"
            )
            verdict = "INFRA" if r.infra_error else ("pass" if r.passed else "fail")
            as_expected = r.infra_error is None and r.passed == r.expected_pass
            table.append([r.case_id, r.variant, verdict, f"{r.score:.2f}", counts,
                          "yes" if as_expected else "NO"])  # fmt: skip
        parts.append(_table(["case", "variant", "result", "score", "tests", "as expected"], table))
    else:
        cases = score.per_case(frame)
        parts.append(
            _table(
                ["case", "samples", "pass rate", "mean score", "cost $", "turns", "gen s", "infra"],
                [
                    [
                        str(c.case_id),
                        str(c.samples),
                        f"{c.pass_rate:.0%}",
                        f"{c.mean_score:.2f}",
                        f"{c.cost_usd:.4f}",
                        f"{c.turns:.1f}",
                        f"{c.gen_latency_s:.0f}",
                        str(c.infra_errors),
                    ]
                    for c in cases.itertuples()
                ],
            )
        )
    tags = score.per_tag(frame)
    if not tags.empty:
        parts.append(
            "by rule: " + ", ".join(f"{t.rule} {t.mean_score:.2f}" for t in tags.itertuples())
        )
    s = score.suite(frame)
    known = [r for r in rows if r.expected_pass is not None]
    if known:
        # Offline: each known solution is judged against what it must do; a pass rate over
        # references and mutants together would mean nothing.
        graded = [r for r in known if r.infra_error is None]
        expected = sum(r.passed == r.expected_pass for r in graded)
        parts.append(
            f"known solutions: {expected}/{len(graded)} as expected (references and "
            f"alternatives pass, mutants fail) over {s['cases']} case(s), "
            f"{len(known) - len(graded)} infra error(s)"
        )
        return "\n\n".join(parts)
    parts.append(
        f"suite: pass rate {s['pass_rate']:.1%} ({SUITE_INTERVAL}: {s['pass_rate_ci_low']:.1%}"
        f"-{s['pass_rate_ci_high']:.1%}) over {s['cases']} case(s), mean score "
        f"{s['mean_score']:.3f}, {s['samples']} sample(s), {s['infra_errors']} infra error(s), "
        f"{s['input_tokens']:,} in / {s['output_tokens']:,} out tokens, ${s['cost_usd']:.4f}"
    )
    parts += cache_lines(s)
    return "\n\n".join(parts)


def infra_causes(rows: list[SampleResult], limit: int = 5) -> str:
    """Why samples hit infrastructure errors, most common first."""
    from collections import Counter

    causes = Counter(_short(r.infra_error) for r in rows if r.infra_error)
    if not causes:
        return ""
    lines = [f"infra errors ({sum(causes.values())}, left out of every rate):"]
    lines += [f"  {n} x {cause}" for cause, n in causes.most_common(limit)]
    return "\n".join(lines)


def failing_tests(rows: list[SampleResult], per_case: int = 5) -> str:
    """The hidden tests agent samples failed, per case (offline runs list them in the table)."""
    from collections import Counter, defaultdict

    failed: dict[str, Counter[str]] = defaultdict(Counter)
    samples: Counter[str] = Counter()
    for row in rows:
        if row.expected_pass is not None or row.infra_error:
            continue
        samples[row.case_id] += 1
        grade = row.grades.get(TESTS)
        for test in grade.tests if grade else []:
            if test.outcome in ("failed", "error", "missing"):
                failed[row.case_id][test.id] += 1
    if not failed:
        return ""
    lines = ["failing hidden tests:"]
    for case_id in sorted(failed):
        tests = failed[case_id].most_common()
        shown = ", ".join(f"{t} ({n}/{samples[case_id]})" for t, n in tests[:per_case])
        more = f", and {len(tests) - per_case} more" if len(tests) > per_case else ""
        lines.append(f"  {case_id}: {shown}{more}")
    return "\n".join(lines)


def accounting_lines(info: RunInfo) -> list[str]:
    """What the run folder paid, apart from what it reused, over every invocation."""
    calls = [i for i in info.invocations if i.requests or i.cache_hits or i.resent]
    if not calls:
        return []
    requests = sum(i.requests for i in info.invocations)
    hits = sum(i.cache_hits for i in info.invocations)
    line = (
        f"spend: ${info.paid_usd:.4f} paid in this run folder ({requests} request(s) over "
        f"{len(info.invocations)} invocation(s)); ${info.reused_usd:.4f} reused from the "
        f"response cache ({hits} repl(ies), free this time)"
    )
    if info.resent:
        line += (
            f"; {info.resent} request(s) cut off by an interrupt were sent again (probably "
            "paid twice; not in the figure above)"
        )
    retries: dict[str, int] = {}
    for inv in info.invocations:
        for cause, n in inv.retries.items():
            retries[cause] = retries.get(cause, 0) + n
    lines = [line]
    if retries:
        lines.append("API errors retried: " + ", ".join(f"{c} x{n}" for c, n in retries.items()))
    stopped = [i.error for i in info.invocations if i.error]
    if stopped:
        lines.append(f"stopped by the API: {stopped[-1]}")
    return lines


def _short(text: str | None, width: int = 200) -> str:
    one_line = " ".join((text or "").split())
    return one_line if len(one_line) <= width else one_line[: width - 3] + "..."


def cache_lines(s: dict) -> list[str]:
    """Prompt-cache accounting, and a warning when the hit rate is low."""
    from evals.score import LOW_CACHE_HIT_RATE

    rate = s.get("cache_hit_rate", float("nan"))
    if rate != rate:  # NaN: no prompt tokens (offline providers)
        return []
    lines = [
        f"prompt cache: {s['cache_read_tokens']:,} tokens read, {s['cache_write_tokens']:,} "
        f"written, hit rate {rate:.0%}"
    ]
    if rate < LOW_CACHE_HIT_RATE:
        lines.append(
            f"warning: prompt-cache hit rate {rate:.0%} is below {LOW_CACHE_HIT_RATE:.0%}: "
            "most prompt tokens were billed at the full rate (is the system prompt or tool "
            "list changing between calls?)"
        )
    return lines
