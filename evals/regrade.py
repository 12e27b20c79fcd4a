"""Re-grade a finished run with today's graders, without calling any model.

Each sample's final ``workspace/`` is kept in the run folder (grading never modifies it), so
re-grading runs the current graders on it again and rewrites ``results.jsonl`` (atomically)
and ``results.parquet``. Generation accounting (turns, tokens, cost, latency) is kept; a
sample whose generation failed stays an infra error. To replay the transcripts through
today's tools as well, use ``evals run --provider replay --replay-from RUN``.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from evals import flaky, score
from evals.cases import Case, Variant, load_suite
from evals.config import RunOptions
from evals.errors import StoreError
from evals.execute import fuzzes
from evals.execute.sandbox import Sandbox, choose_level
from evals.grade import grade_workspace
from evals.progress import Progress
from evals.providers.base import SampleSpec
from evals.records import SampleResult
from evals.runner import build_result, make_executor, run_cases_dir, suite_hash, write_parquet
from evals.store import RunStore, now_iso


def regrade(run_dir: Path, options: RunOptions) -> RunStore:
    """Grade every sample of ``run_dir`` again; returns the run's store."""
    store = RunStore.open(run_dir)
    info = store.read_info()
    rows = store.results()
    if not rows:
        raise StoreError("the run has no finished samples to grade", path=store.root)
    present = sorted({r.case_id for r in rows})
    cases = {c.id: c for c in load_suite(run_cases_dir(options, info), present)}
    progress = Progress(total=len(rows), quiet=options.quiet)
    changed = suite_hash(list(cases.values())) != info.suite_hash
    if changed and set(present) == set(info.case_ids):
        progress.say("note: the cases changed since this run; grading against today's cases")
    level = choose_level(options.isolation, allow_unsafe=options.unsafe_local)
    workers = max(options.workers, 1)
    fuzz = any(map(fuzzes, cases.values()))
    executor = make_executor(options, Sandbox(level), progress.say, fuzz=fuzz)

    # A validation run graded its mutants on their declared tests: so is its regrading.
    declared_only = bool(info.options.get("declared_tests_only"))

    def one(row: SampleResult) -> SampleResult:
        result = _regrade_one(store, row, cases[row.case_id], executor, declared_only)
        progress.sample_done(
            f"{row.case_id} {row.variant}-{row.sample}",
            result.passed,
            result.score,
            result.infra_error,
        )
        return result

    try:
        with store.locked():
            with ThreadPoolExecutor(max_workers=workers) as pool:
                regraded = list(pool.map(one, rows))
            # The same programs graded twice: a hidden test whose outcome moved is flaky
            # (unless the cases changed in between, when differences are expected).
            regraded, flaky_lines = flaky.regrade_check([] if changed else rows, regraded)
            for line in flaky_lines:
                progress.say(line)
            store.rewrite_results(regraded)
            write_parquet(store, score.to_frame(regraded))
            info.options = {
                **info.options,
                "regraded_at": now_iso(),
                "regrade_isolation": level,
                "regrade_grader_mode": executor.mode,
            }
            store.write_info(info)
    finally:
        executor.close()
    return store


def _regrade_one(
    store: RunStore, row: SampleResult, case: Case, executor, declared_only: bool
) -> SampleResult:
    if row.infra_error and row.infra_error.startswith("generation:"):
        return row  # nothing was generated: there is nothing to grade
    folder = store.layout.sample_at(row.sample_dir)
    transcript = store.read_transcript(folder)
    grade_dir = folder.grading.root
    shutil.rmtree(grade_dir, ignore_errors=True)
    variant = Variant.parse(row.variant)
    grades, latency = grade_workspace(
        case, variant, folder.workspace, grade_dir, executor, declared_only=declared_only
    )
    result = build_result(
        row.run_id, SampleSpec(case, variant, row.sample), transcript, grades, folder, store
    )
    result.gen_latency_s = row.gen_latency_s
    result.grade_latency_s = round(latency, 3)
    return result
