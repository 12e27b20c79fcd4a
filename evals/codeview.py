"""Code as the HTML reports show it: highlighted lines, diffs, and side-by-side pairs.

Highlighting is done line by line (pygments tokens split at newlines), so a diff can mark any
line and a finding can be shown under the line it is about. Unchanged stretches are folded to
a few lines of context, which keeps a report with many samples small.
"""

from __future__ import annotations

import builtins
import difflib
import importlib
import keyword
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from markupsafe import Markup, escape
from pygments.lexer import Lexer, RegexLexer, bygroups, words
from pygments.lexers import TextLexer, get_lexer_for_filename
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    String,
    Text,
    Whitespace,
    _TokenType,
)
from pygments.util import ClassNotFound

from evals import untrusted

CONTEXT = 3
WHOLE_FILE_LINES = 300
"""Files up to this long are shown whole (the final file, with the changes marked in it);
longer ones are folded to the changes and ``CONTEXT`` lines around them."""
MAX_LINES = 1500
"""Lines shown per file; longer files are cut (the report says so)."""
MAX_FILE_BYTES = 512 * 1024
MAX_FILES = 300
EMPTY = Markup("")
_BUILTINS = (*(n for n in dir(builtins) if not n.startswith("_")), "self", "cls")
SKIP_DIRS = {"__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", ".git"}


@dataclass(frozen=True)
class Note:
    """A finding shown under a line (ruff, import errors)."""

    code: str
    message: str
    severity: str = "warning"


@dataclass(frozen=True)
class Row:
    kind: str
    """ctx | add | del | gap (a folded stretch of ``skipped`` unchanged lines)."""
    old: int | None = None
    new: int | None = None
    html: Markup = EMPTY
    notes: tuple[Note, ...] = ()
    skipped: int = 0


@dataclass(frozen=True)
class FileView:
    path: str
    status: str
    """added | modified | deleted | unchanged | binary"""
    rows: tuple[Row, ...] = ()
    added: int = 0
    removed: int = 0
    truncated: bool = False
    loose_notes: tuple[Note, ...] = ()
    """Findings about the file with no line (or a line not in the file)."""


@dataclass(frozen=True)
class PairRow:
    kind: str
    """same | change | gap"""
    left_no: int | None = None
    left: Markup = EMPTY
    right_no: int | None = None
    right: Markup = EMPTY
    skipped: int = 0


@dataclass(frozen=True)
class Tree:
    """A workspace's text files, plus the names of files that could not be shown as text."""

    text: dict[str, str] = field(default_factory=dict)
    binary: tuple[str, ...] = ()


# --- reading -----------------------------------------------------------------------------------


def read_tree(root: Path) -> Tree:
    """The text files under ``root`` (caches skipped; binary or huge files only named)."""
    text: dict[str, str] = {}
    binary: list[str] = []
    if not root.is_dir():
        return Tree()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part in SKIP_DIRS for part in rel.parts) or path.suffix == ".pyc":
            continue
        if not path.is_file() or path.is_symlink():
            continue
        if len(text) + len(binary) >= MAX_FILES:
            binary.append(f"... more files not shown (over {MAX_FILES})")
            break
        try:
            # Sample-made: never follow a link or block on a FIFO, whatever is_file said.
            data = untrusted.read_bytes(path, max_bytes=MAX_FILE_BYTES)
            text[rel.as_posix()] = data.decode("utf-8")
        except (UnicodeDecodeError, OSError):
            binary.append(rel.as_posix())
    return Tree(text, tuple(binary))


def changed_files(start: Mapping[str, str], final: Mapping[str, str]) -> dict[str, str | None]:
    """Files the sample added or changed (their text), and removed (None)."""
    out: dict[str, str | None] = {p: t for p, t in final.items() if start.get(p) != t}
    out.update({p: None for p in start if p not in final})
    return dict(sorted(out.items()))


# --- highlighting ------------------------------------------------------------------------------


# A few token families get a colour; everything else is plain text. Fewer, shorter spans keep
# a report with a thousand samples small (pygments' full class set roughly triples the size).
_FAMILIES = (
    (Comment, "c"),
    (String, "s"),
    (Number, "m"),
    (Keyword, "k"),
    (Operator.Word, "k"),
    (Name.Decorator, "d"),
    (Name.Function, "f"),
    (Name.Class, "f"),
    (Name.Builtin, "b"),
    (Name.Exception, "b"),
)


@lru_cache(maxsize=512)
def _css_class(ttype: _TokenType) -> str:
    return next((cls for family, cls in _FAMILIES if ttype in family), "")


class QuickPythonLexer(RegexLexer):
    """Python in the few token families the reports colour, about four times faster than
    pygments' PythonLexer (which also parses f-strings, escapes and operators we paint plain).
    Reports of many samples spend most of their time lexing Python."""

    name = "Python (report)"
    tokens: ClassVar[dict[str, list]] = {
        "root": [
            (r"\s+", Whitespace),
            (r"#[^\n]*", Comment),
            (r"(?i)[rbuf]{0,2}(\"\"\"|''')[\s\S]*?\1", String),
            (r'(?i)[rbuf]{0,2}"(?:\\.|[^"\\\n])*"', String),
            (r"(?i)[rbuf]{0,2}'(?:\\.|[^'\\\n])*'", String),
            (r"@[\w.]+", Name.Decorator),
            (r"(def|class)(\s+)(\w+)", bygroups(Keyword, Whitespace, Name.Function)),
            (words((*keyword.kwlist, *keyword.softkwlist), suffix=r"\b"), Keyword),
            (words(_BUILTINS, prefix=r"(?<![.\w])", suffix=r"\b"), Name.Builtin),
            (r"\d[\w.]*", Number),
            (r"\w+", Name),
            (r"[^\w\s#'\"@]+|.", Text),
        ]
    }


# Looked up directly: pygments' filename search imports every lexer module (about a second).
_LEXERS = {
    ".py": ("evals.codeview", "QuickPythonLexer"),
    ".pyi": ("evals.codeview", "QuickPythonLexer"),
    ".md": ("pygments.lexers.markup", "MarkdownLexer"),
    ".toml": ("pygments.lexers.configs", "TOMLLexer"),
    ".ini": ("pygments.lexers.configs", "IniLexer"),
    ".cfg": ("pygments.lexers.configs", "IniLexer"),
    ".json": ("pygments.lexers.data", "JsonLexer"),
    ".yaml": ("pygments.lexers.data", "YamlLexer"),
    ".yml": ("pygments.lexers.data", "YamlLexer"),
    ".sh": ("pygments.lexers.shell", "BashLexer"),
    ".sql": ("pygments.lexers.sql", "SqlLexer"),
    ".txt": ("pygments.lexers.special", "TextLexer"),
    ".env": ("pygments.lexers.special", "TextLexer"),
}


@lru_cache(maxsize=64)
def _lexer_for(name: str) -> Lexer:
    known = _LEXERS.get(Path(name).suffix)
    if known is not None:
        module = importlib.import_module(known[0])
        return getattr(module, known[1])(stripnl=False, ensurenl=True)
    try:
        return get_lexer_for_filename(name, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=True)


def split_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _lexer_key(path: str) -> str:
    suffix = Path(path).suffix or Path(path).name
    return f"x{suffix}" if suffix.startswith(".") else path


class Highlighter:
    """Highlights text line by line, caching by content, within a budget.

    Even the quick lexer does Python at roughly 0.2-0.5 MB/s, so a report of a thousand large
    samples would take minutes; past ``budget`` characters, lines are escaped without colour
    (and :attr:`plain` counts them, for the report to say so).
    """

    def __init__(self, budget: int | None = None) -> None:
        self.budget = budget
        self.used = 0
        self.plain = 0
        self._cache: dict[tuple[str, str], tuple[Markup, ...]] = {}

    def lines(self, text: str, path: str) -> tuple[Markup, ...]:
        """One escaped HTML fragment per line of ``text``."""
        key = (_lexer_key(path), text)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if self.budget is not None and self.used + len(text) > self.budget:
            self.plain += 1
            return tuple(escape(line) for line in split_lines(text))
        self.used += len(text)
        out = self._cache[key] = _highlight(key[0], text)
        return out


def _highlight(lexer_key: str, text: str) -> tuple[Markup, ...]:
    lines: list[list[tuple[str, str]]] = [[]]
    for ttype, value in _lexer_for(lexer_key).get_tokens(text.replace("\r\n", "\n")):
        cls = _css_class(ttype)
        for i, part in enumerate(value.split("\n")):
            if i:
                lines.append([])
            if not part:
                continue
            line = lines[-1]
            if line and line[-1][0] == cls:
                line[-1] = (cls, line[-1][1] + part)
            else:
                line.append((cls, part))
    count = len(split_lines(text))
    return tuple(
        Markup(
            "".join(
                f'<span class="{cls}">{escape(part)}</span>' if cls else str(escape(part))
                for cls, part in parts
            )
        )
        for parts in lines[:count]
    )


_UNLIMITED = Highlighter()


def highlight_lines(text: str, path: str) -> tuple[Markup, ...]:
    """Highlighted lines with no budget (one shared cache)."""
    return _UNLIMITED.lines(text, path)


# --- diffs -------------------------------------------------------------------------------------


def _fold(rows: list[Row], keep: set[int], context: int) -> list[Row]:
    """Fold unchanged rows further than ``context`` from a kept row (changes, notes)."""
    near = {i + d for i in keep for d in range(-context, context + 1)}
    out: list[Row] = []
    skipped = 0
    for i, row in enumerate(rows):
        if row.kind == "ctx" and i not in near:
            skipped += 1
            continue
        if skipped:
            out.append(Row("gap", skipped=skipped))
            skipped = 0
        out.append(row)
    if skipped:
        out.append(Row("gap", skipped=skipped))
    return out


def file_view(
    path: str,
    old: str | None,
    new: str | None,
    notes: Mapping[int, list[Note]] | None = None,
    *,
    context: int = CONTEXT,
    hl: Highlighter = _UNLIMITED,
) -> FileView:
    """The diff of one file from ``old`` to ``new`` (None: absent), notes under new lines."""
    notes = notes or {}
    old_lines = split_lines(old) if old is not None else []
    new_lines = split_lines(new) if new is not None else []
    old_html = hl.lines(old, path) if old is not None else ()
    new_html = hl.lines(new, path) if new is not None else ()
    status = (
        "added"
        if old is None
        else "deleted"
        if new is None
        else "unchanged"
        if old == new
        else "modified"
    )
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                no = j1 + k + 1
                rows.append(Row("ctx", i1 + k + 1, no, new_html[j1 + k], tuple(notes.get(no, ()))))
            continue
        for i in range(i1, i2):
            rows.append(Row("del", old=i + 1, html=old_html[i]))
        for j in range(j1, j2):
            rows.append(Row("add", new=j + 1, html=new_html[j], notes=tuple(notes.get(j + 1, ()))))
    keep = {i for i, r in enumerate(rows) if r.kind != "ctx" or r.notes}
    whole = status == "added" or len(new_lines) <= WHOLE_FILE_LINES
    shown = rows if whole else _fold(rows, keep, context)
    truncated = len(shown) > MAX_LINES
    loose = tuple(n for line, ns in notes.items() if not 0 < line <= len(new_lines) for n in ns)
    return FileView(
        path=path,
        status=status,
        rows=tuple(shown[:MAX_LINES]),
        added=sum(r.kind == "add" for r in rows),
        removed=sum(r.kind == "del" for r in rows),
        truncated=truncated,
        loose_notes=loose,
    )


def workspace_views(
    start: Mapping[str, str],
    final: Tree,
    notes: Mapping[str, Mapping[int, list[Note]]] | None = None,
    hl: Highlighter = _UNLIMITED,
    memo: dict | None = None,
) -> list[FileView]:
    """A view of every file the sample changed, plus unchanged files that have findings.

    ``memo`` shares views between samples that left the same file (known solutions share
    most of theirs).
    """
    notes = notes or {}
    memo = {} if memo is None else memo
    views = []
    paths = sorted(set(start) | set(final.text))
    for path in paths:
        old, new = start.get(path), final.text.get(path)
        if old == new and not notes.get(path):
            continue
        file_notes = notes.get(path)
        key = (path, old, new, repr(sorted(file_notes.items())) if file_notes else "")
        if key not in memo:
            memo[key] = file_view(path, old, new, file_notes, hl=hl)
        views.append(memo[key])
    views += [FileView(path=p, status="binary") for p in final.binary]
    return views


def side_by_side(
    left: str | None,
    right: str | None,
    path: str,
    *,
    context: int = CONTEXT,
    hl: Highlighter = _UNLIMITED,
) -> list[PairRow]:
    """Rows pairing two versions of a file, changed lines next to each other."""
    left_lines = split_lines(left) if left is not None else []
    right_lines = split_lines(right) if right is not None else []
    left_html = hl.lines(left, path) if left is not None else ()
    right_html = hl.lines(right, path) if right is not None else ()
    rows: list[PairRow] = []
    matcher = difflib.SequenceMatcher(None, left_lines, right_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [
                PairRow("same", i + 1, left_html[i], j + 1, right_html[j])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            rows.append(
                PairRow(
                    "change",
                    i + 1 if i < i2 else None,
                    left_html[i] if i < i2 else Markup(""),
                    j + 1 if j < j2 else None,
                    right_html[j] if j < j2 else Markup(""),
                )
            )
    near = {
        i + d
        for i, r in enumerate(rows)
        if r.kind == "change"
        for d in range(-context, context + 1)
    }
    out: list[PairRow] = []
    skipped = 0
    for i, row in enumerate(rows):
        if row.kind == "same" and i not in near:
            skipped += 1
            continue
        if skipped:
            out.append(PairRow("gap", skipped=skipped))
            skipped = 0
        out.append(row)
    if skipped:
        out.append(PairRow("gap", skipped=skipped))
    return out[:MAX_LINES]


def unified_text_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    """A plain unified diff (for markdown)."""
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=old_name,
            tofile=new_name,
        )
    )


# --- HTML --------------------------------------------------------------------------------------
# Rendered here rather than in a template loop: a report can hold a million code lines, and a
# jinja macro call per line is ten times slower than building the strings directly. Rows use
# HTML's optional end tags and one-letter classes (styled in report.css): the markup around a
# line is then ~25 bytes instead of ~95, which is most of a large report's size.

_ROW_CLASS = {"ctx": "c", "add": "a", "del": "d"}


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def _gap(skipped: int, what: str, span: int) -> str:
    return (
        f"<tr class=g><td colspan={span}>\u2026 {skipped} {what} line{'s' if skipped != 1 else ''}"
    )


def _note_rows(notes: tuple[Note, ...]) -> list[str]:
    return [
        f"<tr class=n><td colspan=2><td><span class={escape(n.severity)}>{escape(n.code)}</span> "
        f"{escape(n.message)}"
        for n in notes
    ]


@lru_cache(maxsize=512)  # views shared between samples (see workspace_views) render once
def render_view(fv: FileView) -> Markup:
    """A file's diff as a ``table.code``: old and new line numbers, then the line."""
    out = ['<table class="code">']
    for r in fv.rows:
        if r.kind == "gap":
            out.append(_gap(r.skipped, "unchanged", 3))
            continue
        out.append(f"<tr class={_ROW_CLASS[r.kind]}><td>{_num(r.old)}<td>{_num(r.new)}<td>{r.html}")
        if r.notes:
            out += _note_rows(r.notes)
    if fv.truncated:
        out.append("<tr class=g><td colspan=3>\u2026 cut here: too long to show")
    out += _note_rows(fv.loose_notes)
    out.append("</table>")
    return Markup("\n".join(out))


def render_pairs(rows: list[PairRow], left_title: str, right_title: str) -> Markup:
    """Two versions side by side as a ``table.code.pair``."""
    out = [
        '<table class="code pair"><thead><tr><th></th>'
        f"<th>{escape(left_title)}</th><th></th><th>{escape(right_title)}</th></tr></thead>"
    ]
    for r in rows:
        if r.kind == "gap":
            out.append(_gap(r.skipped, "identical", 4))
            continue
        kind = "x" if r.kind == "change" else "s"
        left = "<td class=e>" if r.left_no is None else f"<td>{r.left}"
        right = "<td class=e>" if r.right_no is None else f"<td>{r.right}"
        out.append(f"<tr class={kind}><td>{_num(r.left_no)}{left}<td>{_num(r.right_no)}{right}")
    out.append("</table>")
    return Markup("\n".join(out))
