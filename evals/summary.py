"""The plain-text summary printed at the end of a run (standard error)."""

from __future__ import annotations

from evals.records import RunInfo, SampleResult


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def render(info: RunInfo, rows: list[SampleResult]) -> str:
    from evals import score

    frame = score.to_frame(rows)
    if frame.empty:
        return "no samples finished"
    parts = [
        f"run {info.run_id}  agent {info.agent_name} ({info.agent_sha256[:12]})  "
        f"provider {info.provider}  model {info.model}  isolation {info.isolation}"
    ]
    if any(r.expected_pass is not None for r in rows):
        table = []
        for r in sorted(rows, key=lambda r: (r.case_id, r.variant != "reference", r.variant)):
            tests = r.grades.get("tests")
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
    parts.append(
        f"suite: pass rate {s['pass_rate']:.1%} (95% CI {s['pass_rate_ci_low']:.1%}"
        f"-{s['pass_rate_ci_high']:.1%}) over {s['cases']} case(s), mean score "
        f"{s['mean_score']:.3f}, {s['samples']} sample(s), {s['infra_errors']} infra error(s), "
        f"{s['input_tokens']:,} in / {s['output_tokens']:,} out tokens, ${s['cost_usd']:.4f}"
    )
    parts += cache_lines(s)
    return "\n\n".join(parts)


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
