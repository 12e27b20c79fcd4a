"""One sample, in full, for the report: transcript, final files and their diff, every grade.

Read from the sample's folder in the run (``samples/<case>/<variant>-<k>/``) and the run's
case snapshot, never from the cases folder, so an old run still shows what it was.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.codeview import FileView, Highlighter, Note, Tree, read_tree, workspace_views
from evals.errors import StoreError
from evals.execute import CANARY_FAIL, CANARY_PASS
from evals.records import (
    Finding,
    GradeResult,
    SampleResult,
    TestOutcome,
    TextBlock,
    ThinkingBlock,
    ToolResultBlock,
    ToolUseBlock,
    Transcript,
    Usage,
)
from evals.snapshot import CaseFacts
from evals.store import RunStore
from graders.registry import IMPORTS, TESTS

TOOL_INPUT_LINES = 8
"""Lines of a Write/Edit payload shown in the transcript (the files section has them all)."""
RESULT_CHARS = 3000
TEXT_CHARS = 8000
TASK_CHARS = 400
"""The task (the first user message) is the same for every sample of a case: each transcript
shows its start, and the case section shows it once in full."""
LOG_CHARS = 6000


@dataclass(frozen=True)
class BlockView:
    kind: str
    """text | thinking | tool_use | tool_result"""
    title: str = ""
    body: str = ""
    omitted_lines: int = 0
    is_error: bool = False


@dataclass(frozen=True)
class MessageView:
    role: str
    blocks: tuple[BlockView, ...]
    turn: int = 0
    """For an assistant message: its model call, from 1 (0: not a model reply)."""
    turn_usage: Usage | None = None
    cached: bool = False
    """Served from the response cache: no API call was made for it this time."""


@dataclass(frozen=True)
class SampleDetail:
    messages: tuple[MessageView, ...] = ()
    transcript_note: str = ""
    task: str = ""
    """The task as the agent received it (the first user message)."""
    stop: str = ""
    transcript_error: str | None = None
    files: tuple[FileView, ...] = ()
    unchanged_files: int = 0
    start_known: bool = True
    tests: tuple[TestOutcome, ...] = ()
    import_errors: tuple[Finding, ...] = ()
    grades: tuple[GradeResult, ...] = ()
    stdout: str = ""
    stderr: str = ""
    grades_note: str = ""
    notes_by_file: dict[str, int] = field(default_factory=dict)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f"\n[... {len(text) - limit:,} more]"


def _tool_use(block: ToolUseBlock) -> BlockView:
    data: dict[str, Any] = dict(block.input)
    title = block.name
    path = data.get("file_path") or data.get("path") or data.get("pattern") or ""
    if path:
        title = f"{block.name} {path}"
    if block.name == "Write" and isinstance(data.get("content"), str):
        lines = data["content"].split("\n")
        body = "\n".join(lines[:TOOL_INPUT_LINES])
        return BlockView("tool_use", title, body, max(len(lines) - TOOL_INPUT_LINES, 0))
    if block.name == "Edit":
        old = str(data.get("old_string", ""))
        new = str(data.get("new_string", ""))
        body = "".join(f"- {line}\n" for line in old.split("\n")[:TOOL_INPUT_LINES])
        body += "".join(f"+ {line}\n" for line in new.split("\n")[:TOOL_INPUT_LINES])
        return BlockView("tool_use", title, body.rstrip("\n"))
    if block.name == "Bash":
        return BlockView("tool_use", "Bash", _cut(str(data.get("command", "")), RESULT_CHARS))
    return BlockView("tool_use", title, _cut(json.dumps(data, indent=1), RESULT_CHARS))


def message_views(transcript: Transcript) -> tuple[MessageView, ...]:
    views = []
    replies = sum(m.role == "assistant" for m in transcript.messages)
    # The n-th assistant message is the n-th turn's reply (when the two lists line up).
    turns = list(transcript.turns) if len(transcript.turns) >= replies else []
    seen = 0
    for index, message in enumerate(transcript.messages):
        blocks = []
        for block in message.content:
            if isinstance(block, TextBlock):
                limit = TASK_CHARS if index == 0 else TEXT_CHARS
                blocks.append(BlockView("text", body=_cut(block.text, limit)))
            elif isinstance(block, ThinkingBlock):
                shown = block.thinking or "(not returned: the request asked for it omitted)"
                blocks.append(BlockView("thinking", body=_cut(shown, TEXT_CHARS)))
            elif isinstance(block, ToolUseBlock):
                blocks.append(_tool_use(block))
            elif isinstance(block, ToolResultBlock):
                blocks.append(
                    BlockView(
                        "tool_result",
                        "error" if block.is_error else "result",
                        _cut(block.content, RESULT_CHARS),
                        is_error=block.is_error,
                    )
                )
        if message.role == "assistant":
            seen += 1
            turn = turns[seen - 1] if turns else None
            usage = turn.usage if turn else None
            cached = bool(turn and turn.cached)
            views.append(MessageView("assistant", tuple(blocks), seen, usage, cached))
        else:
            views.append(MessageView(message.role, tuple(blocks)))
    return tuple(views)


def without_canaries(text: str) -> str:
    """Grading output minus the harness's own canary tests (one is meant to fail, in every
    sample): lines naming them, and the failure section of the failing one."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith(("___", "===")):  # a pytest section header ends the skipped one
            skipping = CANARY_FAIL in line
        if skipping or CANARY_FAIL in line or CANARY_PASS in line:
            continue
        out.append(line)
    return "".join(out)


def _notes(grades: dict[str, GradeResult]) -> dict[str, dict[int, list[Note]]]:
    """Located findings (ruff, static graders) by file and line."""
    out: dict[str, dict[int, list[Note]]] = defaultdict(lambda: defaultdict(list))
    for grade in grades.values():
        if grade.grader == IMPORTS:
            continue  # import errors name modules, not lines: shown in their own section
        for f in grade.findings:
            if f.path:
                out[f.path][f.line].append(Note(f"{grade.grader} {f.code}", f.message, f.severity))
    return {path: dict(lines) for path, lines in out.items()}


def _tail(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    if len(text) <= LOG_CHARS:
        return text
    return f"[... {len(text) - LOG_CHARS:,} characters cut ...]\n" + text[-LOG_CHARS:]


def sample_detail(
    store: RunStore,
    row: SampleResult,
    facts: CaseFacts | None,
    hl: Highlighter,
    memo: dict | None = None,
) -> SampleDetail:
    sample = store.layout.sample_at(row.sample_dir)
    messages: tuple[MessageView, ...] = ()
    note = task = ""
    stop, error = row.stop, None
    try:
        transcript = store.read_transcript(sample)
        messages, stop, error = message_views(transcript), transcript.stop, transcript.error
        if transcript.messages and transcript.messages[0].role == "user":
            first = transcript.messages[0].content
            task = "\n".join(
                b.text
                for b in first
                if isinstance(b, TextBlock) and not b.text.startswith("<system-reminder>")
            )
        if transcript.engine:
            note = (
                f"Run by {transcript.engine}: the subagent's conversation as the engine sent it "
                "(system messages included); every request and reply, the parent's too, is in "
                "claude-code/exchanges.jsonl in the sample's folder."
            )
    except StoreError as exc:
        note = str(exc)
    start = facts.workspace if facts is not None else {}
    final: Tree = read_tree(sample.workspace)
    notes = _notes(row.grades)
    files = tuple(workspace_views(start, final, notes, hl=hl, memo=memo))
    shown = {f.path for f in files}
    unchanged = sum(1 for p in final.text if p not in shown)
    imports = row.grades.get(IMPORTS)
    tests = row.grades.get(TESTS)
    return SampleDetail(
        messages=messages,
        task=task,
        transcript_note=note,
        stop=stop,
        transcript_error=error,
        files=files,
        unchanged_files=unchanged,
        start_known=facts is not None,
        tests=tuple(tests.tests) if tests else (),
        import_errors=tuple(imports.findings) if imports else (),
        grades=tuple(row.grades.values()),
        stdout=without_canaries(_tail(sample.grading.stdout)),
        stderr=without_canaries(_tail(sample.grading.stderr)),
        grades_note="" if row.grades else "not graded (generation failed)",
        notes_by_file={p: sum(len(v) for v in ls.values()) for p, ls in notes.items()},
    )
