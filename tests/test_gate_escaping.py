"""gate.md is a pull-request comment: nothing a sample or a run folder wrote may render as
HTML, an image, a link or table structure. Checked by rendering it as GitHub does."""

from __future__ import annotations

import json
import re

from markdown_it import MarkdownIt
from runfactory import agent_samples, make_run

from evals.baseline import open_run
from evals.cli import main as cli
from evals.store import RunStore

HOSTILE = (
    "E   AssertionError: <img src=x onerror=alert(1)> ![t](http://evil/x.png) "
    "[approve](http://evil) <script>alert(1)</script> <http://evil> http://evil "
    "www.evil.example mail@evil.example @org/reviewers `code` ``more`` | cell | break **bold** "
    "&lt;b&gt; <!-- hide the rest"
)
HOSTILE_ID = "test_create_returns_201`|<img src=x>\n| forged | row | here | x |"
HOSTILE_TEXT = "<img src=x>[approve](http://evil)`|\n# heading"


def _tamper(run, *, model: str) -> None:
    store = RunStore.open(run)
    rows = []
    for row in store.results():
        tests = row.grades["tests"]
        for t in tests.tests:
            if t.outcome != "passed":
                t.message = HOSTILE
            if t.id == "test_create_returns_201":
                t.id = HOSTILE_ID
        rows.append(row)
    store.rewrite_results(rows)
    info = json.loads((run / "run.json").read_text())
    info.update(model=model, provider=HOSTILE_TEXT, run_id="run`|<b>x</b>")
    (run / "run.json").write_text(json.dumps(info))


def _render(markdown: str) -> str:
    # As GitHub renders a comment: raw HTML allowed, tables on.
    return (
        MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)
    )


def test_hostile_sample_text_renders_inert_in_gate_md_and_the_step_summary(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    base = make_run(tmp_path / "b", [*agent_samples("users", 6, 6), *agent_samples("crud", 4, 6)],
                    run_id="base")  # fmt: skip
    cand = make_run(tmp_path / "c", [*agent_samples("users", 0, 6), *agent_samples("crud", 4, 6)],
                    run_id="cand", agent_text="edited")  # fmt: skip
    _tamper(base, model="<b>base</b>")
    _tamper(cand, model="![m](http://evil/m.png)")
    assert open_run(cand).info.model.startswith("![m]")
    code = cli(["gate", "--baseline", str(base), "--candidate", str(cand), "-q",
                "--config", str(tmp_path / "none.toml")])  # fmt: skip
    assert code == 1
    markdown = (cand / "gate.md").read_text()
    assert summary.read_text() == markdown + "\n"
    html = _render(markdown)

    assert "<img" not in html and "<a " not in html and "<script" not in html
    assert "<b>" not in html and "<!--" not in html and "<strong>bold" not in html
    assert "http://evil" not in html and "www.evil" not in html  # GitHub would autolink these
    assert "mail@evil" not in html and "@org/reviewers" not in html  # nor mail, nor mentions
    # The only tags are the template's own.
    tags = set(re.findall(r"</?([a-z0-9]+)", html))
    assert tags <= {"h2", "h3", "p", "strong", "code", "table", "thead", "tbody", "tr", "th",
                    "td", "ul", "li", "details", "summary", "sub"}, tags  # fmt: skip
    # The text is still there to read, as text.
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "[approve](http:" in html and "&lt;script&gt;" in html
    # Every table row has as many cells as its header: no pipe or newline broke out.
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        widths = {len(re.findall(r"<t[hd][ >]", row)) for row in re.findall(r"<tr>.*?</tr>",
                                                                             table, re.S)}  # fmt: skip
        assert len(widths) == 1, table
    assert "forged" not in re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    assert "<h1" not in html  # the '# heading' after a newline started nothing


def test_markdown_escaping_keeps_ordinary_text_readable():
    from evals.templating import md_code, md_text

    assert md_text("users-case: pass rate dropped 100% → 0% (p = 0.004)") == (
        "users-case: pass rate dropped 100% → 0% (p = 0.004)"
    )
    assert md_text("1. not a list") == "1\\. not a list"
    assert md_code("test_create_returns_201") == "`test_create_returns_201`"
    assert md_code("a`b") == "``a`b``"
