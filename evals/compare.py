"""The gate's outputs: ``gate.md`` (a pull-request comment) and ``compare.html``.

``compare.html`` shows the diff of the two agent files, every unit's change, and for each
flipped or regressed unit the code a passing and a failing sample left, side by side, with the
hidden tests that changed outcome.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from evals.baseline import RunSource
from evals.codeview import FileView, Highlighter, PairRow, file_view, side_by_side
from evals.errors import StoreError
from evals.gate import GateResult, UnitDelta
from evals.records import SampleResult
from evals.store import atomic_write
from evals.templating import environment, markdown_environment

GATE_MD = "gate.md"
COMPARE_HTML = "compare.html"
MD_TABLE_ROWS = 60
"""Per-case rows in gate.md beyond the changed ones (a pull-request comment holds 65,536
characters; compare.html always has every case)."""


@dataclass(frozen=True)
class FilePair:
    path: str
    rows: tuple[PairRow, ...]
    status: str
    """changed | only in baseline | only in candidate"""


@dataclass(frozen=True)
class FlipView:
    unit: UnitDelta
    base_label: str
    cand_label: str
    files: tuple[FilePair, ...]
    note: str


def _side_label(row: SampleResult | None) -> str:
    if row is None:
        return "none"
    return f"{row.variant} #{row.sample} ({'pass' if row.passed else 'fail'})"


def flip_view(unit: UnitDelta, baseline: RunSource, candidate: RunSource,
              hl: Highlighter) -> FlipView:  # fmt: skip
    worse = unit.delta < 0 or unit.regressed
    base_row = unit.base.representative(passed=worse) or next(iter(unit.base.valid), None)
    cand_row = unit.cand.representative(passed=not worse) or next(iter(unit.cand.valid), None)
    facts = candidate.snapshot.get(unit.case_id) or baseline.snapshot.get(unit.case_id)
    start = dict(facts.workspace) if facts else {}
    base_files = baseline.changed(base_row, start) if base_row else None
    cand_files = candidate.changed(cand_row, start) if cand_row else None
    notes = []
    if base_files is None:
        notes.append("the baseline's code for this sample was not recorded")
    if cand_files is None:
        notes.append("the candidate's code for this sample is not available")
    pairs = []
    base_files, cand_files = base_files or {}, cand_files or {}
    for path in sorted(set(base_files) | set(cand_files)):
        left = base_files[path] if path in base_files else start.get(path)
        right = cand_files[path] if path in cand_files else start.get(path)
        if left == right:
            continue
        status = (
            "only in the candidate"
            if left is None
            else "only in the baseline"
            if right is None
            else "changed"
        )
        pairs.append(FilePair(path, tuple(side_by_side(left, right, path, hl=hl)), status))
    return FlipView(
        unit=unit,
        base_label=_side_label(base_row),
        cand_label=_side_label(cand_row),
        files=tuple(pairs),
        note="; ".join(notes),
    )


def agent_diff(baseline: RunSource, candidate: RunSource) -> FileView | None:
    old, new = baseline.info.agent_text, candidate.info.agent_text
    if old == new:
        return None
    return file_view("agent.md", old, new)


def render_markdown(result: GateResult, baseline: RunSource, candidate: RunSource,
                    compare_path: Path | None = None) -> str:  # fmt: skip
    changed = [u for u in result.units if u.delta or u.tests or u.flip or u.regressed]
    table = list(result.units) if len(result.units) <= MD_TABLE_ROWS else changed
    template = markdown_environment().get_template("gate.md.j2")
    return template.render(
        r=result,
        b=baseline,
        c=candidate,
        table=table,
        omitted=len(result.units) - len(table),
        compare_path=str(compare_path) if compare_path else "",
    )


def render_html(result: GateResult, baseline: RunSource, candidate: RunSource) -> str:
    hl = Highlighter(budget=3_000_000)
    flips = [flip_view(u, baseline, candidate, hl) for u in result.flips]
    return (
        environment()
        .get_template("compare.html.j2")
        .render(
            r=result,
            b=baseline,
            c=candidate,
            flips=flips,
            agent=agent_diff(baseline, candidate),
        )
    )


def write_outputs(result: GateResult, baseline: RunSource, candidate: RunSource,
                  out: Path) -> tuple[Path, Path]:  # fmt: skip
    """Write gate.md and compare.html into ``out``; append gate.md to the CI step summary."""
    out = Path(out)
    html_path, md_path = out / COMPARE_HTML, out / GATE_MD
    markdown = render_markdown(result, baseline, candidate, html_path)
    atomic_write(html_path, render_html(result, baseline, candidate), what="the gate's outputs")
    atomic_write(md_path, markdown, what="the gate's outputs")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(markdown + "\n")
        except OSError as exc:
            raise StoreError(f"cannot append to the step summary: {exc}", path=summary) from None
    return md_path, html_path
