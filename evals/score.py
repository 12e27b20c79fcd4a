"""Scores: per sample (weighted graders, required graders gate ``passed``), then with pandas
per case, per tag (prompt responsibility) and for the suite with a bootstrap interval over
cases, the gate's own method (:func:`evals.paired.case_bootstrap`).

Samples with an infra error are reported but left out of every rate and mean: a broken
sandbox or API is not evidence about the prompt.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from evals.cases import GraderSpec
from evals.paired import case_bootstrap
from evals.records import GradeResult, SampleResult
from graders import registry
from graders.registry import TESTS

if TYPE_CHECKING:
    import pandas as pd


def score_sample(
    specs: tuple[GraderSpec, ...], grades: dict[str, GradeResult]
) -> tuple[bool, float, dict[str, float], str | None]:
    """(passed, weighted score, per-rule scores, infra error) for one sample's grades."""
    infra = [f"{g.grader}: {g.infra_error}" for g in grades.values() if g.infra_error]
    weights = {s.name: s.weight for s in specs}
    usable = [g for g in grades.values() if not g.infra_error]
    total = sum(weights.get(g.grader, 0.0) for g in usable)
    score = sum(weights.get(g.grader, 0.0) * g.score for g in usable) / total if total else 0.0
    passed = not infra and all(
        grades[s.name].passed for s in specs if s.required and s.name in grades
    )
    return passed, round(score, 4), rule_scores(grades), ("; ".join(infra) or None)


def rule_scores(grades: dict[str, GradeResult]) -> dict[str, float]:
    """Share of each rule's checks that passed: hidden tests and static checks alike (graders
    such as conformance report each check as a tagged outcome)."""
    passed: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for grade in grades.values():
        if grade.infra_error:
            continue
        for test in grade.tests:
            for rule in test.rules:
                total[rule] += 1
                passed[rule] += test.outcome == "passed"
    return {rule: round(passed[rule] / total[rule], 4) for rule in sorted(total)}


# --- tables -----------------------------------------------------------------------------------


def to_frame(rows: list[SampleResult]) -> pd.DataFrame:
    """One row per sample, flat columns (one per grader, one per rule)."""
    import pandas as pd

    records = []
    for r in rows:
        rec = {
            "run_id": r.run_id,
            "case_id": r.case_id,
            "variant": r.variant,
            "sample": r.sample,
            "passed": r.passed,
            "score": r.score,
            "expected_pass": r.expected_pass,
            "infra_error": r.infra_error,
            "stop": r.stop,
            "turns": r.turns,
            "input_tokens": r.usage.input_tokens,
            "output_tokens": r.usage.output_tokens,
            "cache_read_tokens": r.usage.cache_read_tokens,
            "cache_write_tokens": r.usage.cache_write_tokens,
            "cost_usd": r.cost_usd,
            "gen_latency_s": r.gen_latency_s,
            "grade_latency_s": r.grade_latency_s,
            "tests_passed": sum(t.outcome == "passed" for t in _hidden_tests(r)),
            "tests_total": len(_hidden_tests(r)),
        }
        for name, grade in r.grades.items():
            rec[name] = None if grade.infra_error else grade.score
        for rule, value in r.rule_scores.items():
            rec[f"rule:{rule}"] = value
        records.append(rec)
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return frame
    frame["expected_pass"] = frame["expected_pass"].astype("boolean")
    return frame.sort_values(["case_id", "variant", "sample"]).reset_index(drop=True)


def _hidden_tests(row: SampleResult) -> list:
    grade = row.grades.get(TESTS)
    return list(grade.tests) if grade else []


def valid(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["infra_error"].isna()] if not frame.empty else frame


def per_case(frame: pd.DataFrame) -> pd.DataFrame:
    ok = valid(frame)
    if ok.empty:
        return ok
    graders = [g.name for g in registry.GRADERS if g.name in ok]
    table = ok.groupby("case_id").agg(
        samples=("passed", "size"),
        passed=("passed", "sum"),
        pass_rate=("passed", "mean"),
        pass_all=("passed", "all"),
        mean_score=("score", "mean"),
        cost_usd=("cost_usd", "sum"),
        input_tokens=("input_tokens", "sum"),
        output_tokens=("output_tokens", "sum"),
        cache_read_tokens=("cache_read_tokens", "sum"),
        cache_write_tokens=("cache_write_tokens", "sum"),
        turns=("turns", "mean"),
        gen_latency_s=("gen_latency_s", "mean"),
        grade_latency_s=("grade_latency_s", "mean"),
        **{g: (g, "mean") for g in graders},
    )
    infra = frame.groupby("case_id")["infra_error"].apply(lambda s: int(s.notna().sum()))
    return table.join(infra.rename("infra_errors")).reset_index()


def per_tag(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    ok = valid(frame)
    columns = [c for c in ok.columns if c.startswith("rule:")]
    if ok.empty or not columns:
        return pd.DataFrame(columns=["rule", "mean_score", "samples"])
    melted = ok[columns].melt(var_name="rule", value_name="score").dropna()
    melted["rule"] = melted["rule"].str.removeprefix("rule:")
    return (
        melted.groupby("rule")
        .agg(mean_score=("score", "mean"), samples=("score", "size"))
        .reset_index()
    )


def suite(frame: pd.DataFrame) -> dict[str, float | int]:
    cases = per_case(frame)
    rates = [float(x) for x in cases["pass_rate"]] if not cases.empty else []
    interval = case_bootstrap(rates)
    return {
        "cases": len(rates),
        "samples": len(frame),
        "infra_errors": int(frame["infra_error"].notna().sum()) if not frame.empty else 0,
        "pass_rate": sum(rates) / len(rates) if rates else float("nan"),
        "pass_rate_ci_low": interval.low,
        "pass_rate_ci_high": interval.high,
        "mean_score": float(valid(frame)["score"].mean()) if not frame.empty else float("nan"),
        "cost_usd": float(frame["cost_usd"].sum()) if not frame.empty else 0.0,
        "input_tokens": int(frame["input_tokens"].sum()) if not frame.empty else 0,
        "output_tokens": int(frame["output_tokens"].sum()) if not frame.empty else 0,
        **cache_stats(frame),
    }


LOW_CACHE_HIT_RATE = 0.5
"""Below this share of prompt tokens read from the prompt cache, the summary warns."""


def cache_stats(frame: pd.DataFrame) -> dict[str, float | int]:
    """Prompt-cache tokens and the hit rate: cache reads over all prompt tokens."""
    if frame.empty:
        return {"cache_read_tokens": 0, "cache_write_tokens": 0, "cache_hit_rate": float("nan")}
    read = int(frame["cache_read_tokens"].sum())
    write = int(frame["cache_write_tokens"].sum())
    prompt = int(frame["input_tokens"].sum()) + read + write
    return {
        "cache_read_tokens": read,
        "cache_write_tokens": write,
        "cache_hit_rate": read / prompt if prompt else float("nan"),
    }
