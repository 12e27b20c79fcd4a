"""Highlighted lines, diffs with folded context, and side-by-side pairs."""

from __future__ import annotations

from evals.codeview import (
    Highlighter,
    Note,
    changed_files,
    file_view,
    highlight_lines,
    render_view,
    side_by_side,
)

SOURCE = 'def f(x):\n    """A docstring\n    over lines."""\n    return x  # <done>\n'


def test_highlighting_keeps_one_escaped_fragment_per_line():
    lines = highlight_lines(SOURCE, "app/main.py")
    assert len(lines) == 4
    assert '<span class="k">def</span>' in lines[0]
    assert lines[2].startswith('<span class="s">') and "over lines" in lines[2]
    assert "&lt;done&gt;" in lines[3] and "<done>" not in lines[3]
    assert highlight_lines("", "x.py") == ()
    assert highlight_lines("a\n\n", "notes.unknown-suffix") == ("a", "")


def test_a_spent_budget_falls_back_to_plain_escaped_lines():
    hl = Highlighter(budget=10)
    plain = hl.lines(SOURCE, "a.py")
    assert hl.plain == 1 and "<span" not in "".join(plain) and "&lt;done&gt;" in plain[3]


def test_short_files_are_shown_whole_with_the_changes_marked():
    old = "a = 1\nb = 2\nc = 3\n"
    view = file_view("m.py", old, old.replace("b = 2", "b = 20"))
    assert [(r.kind, r.old, r.new) for r in view.rows] == [
        ("ctx", 1, 1), ("del", 2, None), ("add", None, 2), ("ctx", 3, 3),
    ]  # fmt: skip


def test_long_diffs_fold_far_context_but_keep_lines_with_findings():
    old = "".join(f"line_{i} = {i}\n" for i in range(400))
    new = old.replace("line_20 = 20", "line_20 = 21")
    view = file_view("m.py", old, new, {10: [Note("F401", "unused import", "error")]})
    kinds = [r.kind for r in view.rows]
    assert view.status == "modified" and (view.added, view.removed) == (1, 1)
    assert kinds.count("gap") == 3  # before the finding, between, and after the change
    assert any(r.notes and r.new == 10 for r in view.rows)
    html = render_view(view)
    assert "unused import" in html and "unchanged line" in html
    assert file_view("n.py", None, "x = 1\n").status == "added"
    assert file_view("n.py", "x = 1\n", None).status == "deleted"


def test_side_by_side_pairs_changed_lines_and_changed_files_lists_edits():
    rows = side_by_side("a = 1\nb = 2\n", "a = 1\nb = 3\nc = 4\n", "m.py")
    changes = [r for r in rows if r.kind == "change"]
    assert [(r.left_no, r.right_no) for r in changes] == [(2, 2), (None, 3)]
    assert changed_files({"a": "1", "b": "2"}, {"a": "1", "b": "3", "c": "4"}) == {
        "b": "3", "c": "4",
    }  # fmt: skip
    assert changed_files({"gone": "x"}, {}) == {"gone": None}
