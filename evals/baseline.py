"""Runs as the gate reads them: a full run folder, or a compact recorded baseline.

A baseline is what ``make baseline`` commits (``reports/baseline/``), so it holds only what the
gate and ``compare.html`` need, kept small enough to review in a pull request::

    baseline.json   BaselineInfo: where it was recorded from, and when
    run.json        the run's RunInfo (with the agent file's text, for the prompt diff)
    results.jsonl   every sample's result, long messages cut
    cases.json      each case's must-pass mark and hashes (no starting files)
    code.json       per case (and variant): the files one passing and one failing sample
                    changed, stored once per distinct content

Transcripts, grading logs and full workspaces stay in the run folder, which is not committed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from evals import __version__
from evals.codeview import changed_files, read_tree
from evals.config import DEFAULT_CASES
from evals.errors import StoreError, UsageError
from evals.providers import plays_known_solutions
from evals.records import GradeResult, Record, RunInfo, SampleResult, TestOutcome
from evals.snapshot import (
    CaseSnapshot,
    ensure_snapshot,
    read_snapshot,
    without_workspaces,
    write_snapshot,
)
from evals.store import RunLayout, RunStore, atomic_write, now_iso

MARKER = "baseline.json"
CODE = "code.json"
FORMAT = 1
MESSAGE_CHARS = 1500
FINDING_CHARS = 300


class BaselineInfo(Record):
    format: int = FORMAT
    """Version of this folder's layout."""
    recorded_at: str
    source_run: str
    """The run id the baseline was recorded from."""
    harness_version: str
    samples: int
    units: int
    """Distinct (case, variant) pairs."""


@dataclass
class RunSource:
    """One side of a comparison."""

    path: Path
    info: RunInfo
    rows: list[SampleResult]
    snapshot: CaseSnapshot
    kind: str
    """run | baseline"""
    recorded: BaselineInfo | None = None
    _code: dict = field(default_factory=dict)

    @property
    def known_solutions(self) -> bool:
        """The run played the cases' known solutions: fixed programs the gate compares
        exactly (a replayed agent run is offline too, but its samples are the agent's)."""
        return plays_known_solutions(self.info.provider)

    def changed(
        self, row: SampleResult, start: Mapping[str, str] | None = None
    ) -> dict[str, str | None] | None:
        """Files the sample added or changed (text) or removed (None); None when unknown.

        ``start`` stands in for the starting workspace when this source has none of its own.
        """
        if self.kind == "baseline":
            entry = self._code.get("samples", {}).get(row.sample_dir)
            if entry is None:
                return None
            blobs = self._code.get("blobs", {})
            return {p: (blobs.get(h, "") if h else None) for p, h in entry.items()}
        workspace = RunLayout(self.path).sample_at(row.sample_dir).workspace
        if not workspace.is_dir():
            return None
        facts = self.snapshot.get(row.case_id)
        own_start = facts.workspace if facts is not None and facts.workspace else None
        return changed_files(own_start or start or {}, read_tree(workspace).text)


def open_run(path: Path, cases_dir: Path = DEFAULT_CASES, *, role: str = "run") -> RunSource:
    """Open a run folder or a recorded baseline; a clear :class:`StoreError` otherwise."""
    path = Path(path)
    if not path.exists():
        hint = " (record one with 'make baseline')" if role == "baseline" else ""
        raise StoreError(f"no such {role}{hint}", path=path)
    info_file = RunLayout(path).info
    if not info_file.is_file():
        raise StoreError(
            f"not a run folder or a recorded baseline (no {info_file.name}): {role}", path=path
        )
    store = RunStore.open(path)
    info = store.read_info()
    rows = store.results()
    if (path / MARKER).is_file():
        try:
            recorded = BaselineInfo.model_validate_json((path / MARKER).read_text("utf-8"))
            code = json.loads((path / CODE).read_text("utf-8")) if (path / CODE).is_file() else {}
        except (OSError, ValidationError, json.JSONDecodeError) as exc:
            raise StoreError(f"recorded baseline is unreadable: {exc}", path=path) from None
        snapshot = read_snapshot(path) or CaseSnapshot()
        return RunSource(path, info, rows, snapshot, "baseline", recorded, code)
    snapshot = ensure_snapshot(path, cases_dir, info.case_ids)
    return RunSource(path, info, rows, snapshot, "run")


# --- recording ---------------------------------------------------------------------------------


def _slim_test(test: TestOutcome) -> TestOutcome:
    if test.outcome == "passed":  # the gate reads ids and outcomes, and messages of failures
        return TestOutcome(id=test.id, outcome="passed")
    return test.model_copy(update={"message": test.message[:MESSAGE_CHARS], "duration_s": 0.0})


def _slim_grade(grade: GradeResult) -> GradeResult:
    return grade.model_copy(
        update={
            "tests": [_slim_test(t) for t in grade.tests],
            "findings": [
                f.model_copy(update={"message": f.message[:FINDING_CHARS]}) for f in grade.findings
            ],
            "details": grade.details[:MESSAGE_CHARS],
        }
    )


def slim(row: SampleResult) -> SampleResult:
    """The row without what the gate never reads in full (long messages)."""
    return row.model_copy(update={"grades": {k: _slim_grade(g) for k, g in row.grades.items()}})


def representatives(rows: list[SampleResult]) -> list[SampleResult]:
    """Per (case, variant): the first passing and the first failing graded sample."""
    chosen: dict[tuple[str, str, bool], SampleResult] = {}
    for row in sorted(rows, key=lambda r: r.key):
        if row.infra_error:
            continue
        chosen.setdefault((row.case_id, row.variant, row.passed), row)
    return list(chosen.values())


def _code_index(source: RunSource) -> dict:
    blobs: dict[str, str] = {}
    samples: dict[str, dict[str, str | None]] = {}
    for row in representatives(source.rows):
        changed = source.changed(row)
        if changed is None:
            continue
        entry: dict[str, str | None] = {}
        for rel, text in changed.items():
            if text is None:
                entry[rel] = None
                continue
            digest = hashlib.sha256(text.encode()).hexdigest()[:20]
            blobs[digest] = text
            entry[rel] = digest
        samples[row.sample_dir] = entry
    return {"blobs": dict(sorted(blobs.items())), "samples": dict(sorted(samples.items()))}


def record_baseline(run_dir: Path, out: Path, cases_dir: Path = DEFAULT_CASES) -> Path:
    """Write ``out`` as a compact baseline of ``run_dir`` (replacing an earlier baseline)."""
    out = Path(out)
    source = open_run(run_dir, cases_dir)
    if source.kind != "run":
        raise UsageError(f"{run_dir} is already a recorded baseline; record from a run folder")
    if not source.rows:
        raise UsageError(f"{run_dir} has no finished samples to record")
    if source.info.finished_at is None:
        raise UsageError(
            f"{run_dir} did not finish; complete it first (evals run --resume {run_dir})"
        )
    visible = [p for p in out.iterdir() if not p.name.startswith(".")] if out.is_dir() else []
    if out.exists() and not (out / MARKER).is_file() and (visible or not out.is_dir()):
        raise UsageError(f"{out} exists and is not a recorded baseline: refusing to replace it")
    rows = sorted(source.rows, key=lambda r: r.key)
    info = BaselineInfo(
        recorded_at=now_iso(),
        source_run=source.info.run_id,
        harness_version=__version__,
        samples=len(rows),
        units=len({(r.case_id, r.variant) for r in rows}),
    )
    # The whole folder is written beside ``out`` and swapped in: a reader (or a crash) sees
    # the old baseline or the new one, never a mix of the two.
    staging = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        staged = RunStore(staging)
        atomic_write(staging / MARKER, info.model_dump_json(indent=2) + "\n")
        staged.write_info(source.info)
        staged.rewrite_results([slim(r) for r in rows], compact=True)
        write_snapshot(staging, without_workspaces(source.snapshot), indent=1)
        atomic_write(staging / CODE, json.dumps(_code_index(source), indent=1) + "\n")
        if out.exists():
            old = out.with_name(f".{out.name}.{os.getpid()}.old")
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(out)
    except StoreError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreError(f"cannot record the baseline: {exc}", path=out) from None
    return out
