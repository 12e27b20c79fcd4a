"""What one grading brings back: raw observations, read as untrusted.

Everything here was written in a sandbox: the app side's import records (the sample's own
word), the judge's report, the OpenAPI document the app served. Files are read without
following links or blocking on pipes, capped in size; unparseable or absurdly nested JSON is
dropped; paths of the scratch folders and object addresses are replaced by fixed text, so
grading a sample twice gives the same messages. :mod:`graders.tests` and
:mod:`graders.imports` judge what comes back.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals import untrusted
from evals.execute import sandbox as sb
from evals.execute.runtime.evals_runtime import protocol
from evals.store import GradingLayout

if TYPE_CHECKING:
    from evals.execute.job import Layout

SCRATCH_PLACEHOLDER = "/sample"


"""What the per-sample scratch path reads as in messages (it differs on every run)."""


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{4,16}\b")


@dataclass
class ImportRecord:
    module: str
    ok: bool
    error: str = ""


@dataclass
class Execution:
    """Raw observations of one sandboxed grading process."""

    nonce: str
    imports: list[ImportRecord] = field(default_factory=list)
    entrypoint_ok: bool | None = None
    entrypoint_error: str = ""
    unfinished_import: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    returncode: int | None = None
    timed_out: bool = False
    stdout: str = ""
    stderr: str = ""
    duration_s: float = 0.0
    isolation: str = ""
    infra_error: str | None = None
    exceeded: str | None = None
    """A resource limit the sandbox killed the run for (``"disk"``), if any."""
    openapi: dict[str, Any] | None = None
    """The app's OpenAPI document as the judge fetched it ({"schema": ...} or {"error": ...})."""
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds per judge phase (setup, app-start, openapi, pytest): diagnostics for the bench,
    written by the judge."""
    fuzz: dict[str, Any] | None = None
    """The judge's generated-request results (only when the case selects ``api_fuzz``)."""
    arcs: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    """Executed arcs by workspace-relative path, over every start of the app (only when the
    job measured coverage)."""

    def tests_reported(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("event") == "test"]

    def saw(self, event: str) -> dict[str, Any] | None:
        return next((e for e in self.events if e.get("event") == event), None)


def read_streams(execution: Execution, layout: Layout) -> None:
    """The app's import records (its own word) and the judge's report and documents."""
    started: str | None = None
    scrub = _scrubber(layout.app_root, layout.judge_root)
    for record in scrub(_jsonl(layout.app_out / protocol.IMPORTS_FILE)):
        if "entrypoint" in record:
            execution.entrypoint_ok = record.get("status") == "ok"
            execution.entrypoint_error = str(record.get("error", ""))
        elif record.get("status") == "start":
            started = str(record.get("module"))
        else:
            execution.imports.append(
                ImportRecord(str(record.get("module")), record.get("status") == "ok",
                             str(record.get("error", "")))
            )  # fmt: skip
            started = None
    execution.unfinished_import = started
    execution.events = scrub(_jsonl(layout.judge_out / protocol.REPORT_FILE))
    app_log = _app_log(layout)
    if app_log:
        execution.stderr = f"{execution.stderr}\n--- the app's output ---\n{app_log}".strip()
    execution.stdout, execution.stderr = scrub([execution.stdout, execution.stderr])
    execution.openapi = scrub(_json_document(layout.judge_out / protocol.OPENAPI_FILE))
    phases = _json_document(layout.judge_out / protocol.PHASES_FILE, max_bytes=10_000) or {}
    execution.phases = {str(k): float(v) for k, v in phases.items() if isinstance(v, int | float)}
    execution.arcs = _arcs(layout.app_out)
    execution.fuzz = scrub(_json_document(layout.judge_out / protocol.FUZZ_FILE))


def _arcs(app_out: Path) -> dict[str, set[tuple[int, int]]]:
    """The union of the app's coverage files (malformed entries are skipped)."""
    merged: dict[str, set[tuple[int, int]]] = {}
    names = sorted(app_out.glob(f"{protocol.COVERAGE_PREFIX}*.json")) if app_out.is_dir() else []
    for path in names:
        document = _json_document(path, max_bytes=20_000_000) or {}
        for rel, arcs in document.items():
            if not isinstance(arcs, list):
                continue
            merged.setdefault(str(rel), set()).update(
                (a[0], a[1])
                for a in arcs
                if isinstance(a, list) and len(a) == 2 and all(type(x) is int for x in a)
            )
    return merged


def _app_log(layout: Layout, chars: int = 6000) -> str:
    """The tail of every app run's output (the app's tracebacks explain a judge's 500s)."""
    parts = []
    for folder in sorted(layout.app_log.iterdir()) if layout.app_log.is_dir() else ():
        for name in ("stdout.txt", "stderr.txt"):
            with contextlib.suppress(OSError):
                text = sb._tail(folder / name, chars).strip()
                if text:
                    parts.append(text)
    return "\n".join(parts)[-chars:]


def _json_document(path: Path, max_bytes: int = 5_000_000) -> dict[str, Any] | None:
    # Sample-controlled: a link, FIFO or huge file is treated as no document at all.
    data = untrusted.read_or_none(path, max_bytes=max_bytes)
    if data is None:
        return None
    try:
        value = json.loads(data.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        return None
    if not shallow(value):
        return {"error": f"the document nests deeper than {MAX_JSON_DEPTH} levels"}
    return value if isinstance(value, dict) else None


MAX_JSON_DEPTH = 64


"""Sample-made JSON nested deeper than this is dropped: no honest record or OpenAPI document
comes near it, and walking it recursively could exhaust the stack (an infra error)."""


def shallow(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``value`` nests at most ``limit`` levels (checked without recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def _scrubber(*roots: Path) -> Callable[[Any], Any]:
    """Replace the scratch paths and object addresses in every string of a JSON value."""
    prefixes = sorted(
        {str(r) for r in roots} | {os.path.realpath(r) for r in roots}, key=len, reverse=True
    )

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            for prefix in prefixes:
                value = value.replace(prefix, SCRATCH_PLACEHOLDER)
            return _ADDRESS.sub(" at 0x?", value)
        if isinstance(value, list):
            return [scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        return value

    return scrub


def _jsonl(path: Path, max_bytes: int = 50_000_000) -> list[dict[str, Any]]:
    """Parse what is parseable; a torn or forged line is dropped, never trusted blindly.

    The file is sample-controlled: a link, FIFO or oversized file reads as no records.
    """
    data = untrusted.read_or_none(path, max_bytes=max_bytes)
    if data is None:
        return []
    records = []
    for line in data.decode("utf-8", errors="replace").splitlines()[:100_000]:
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if not shallow(value):
            continue
        if isinstance(value, dict):
            records.append(value)
    return records


def keep_logs(layout: Layout, grade_dir: Path) -> None:
    """Copy the judge's output and the app's log tail into the sample's grading folder."""
    kept = GradingLayout(grade_dir)
    kept.root.mkdir(parents=True, exist_ok=True)
    for name, dst in (("stdout.txt", kept.stdout), ("stderr.txt", kept.stderr)):
        src = layout.log / "judge" / name  # as the sandbox names its logs
        if src.exists():
            with open(src, "rb") as handle:
                dst.write_bytes(handle.read(200_000))
    app_log = _app_log(layout, chars=100_000)
    if app_log:
        kept.app_log.write_text(app_log)
