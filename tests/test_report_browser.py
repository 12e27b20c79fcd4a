"""report.html and compare.html in a real browser (headless Chromium over the DevTools protocol):
no console errors, the summary, a case row and a failed test's message are visible, drill-downs
open, and the pages read the same with JavaScript off. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import Browser, chromium_binary
from runfactory import Sample, agent_samples, make_run

from evals.baseline import open_run
from evals.compare import write_outputs
from evals.config import ROOT
from evals.gate import compare
from evals.report import write_report
from evals.thresholds import GateConfig

ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.skipif(
    chromium_binary() is None, reason="chromium is not installed (.ci/run installs it)"
)


def visible(browser: Browser, selector: str, text: str = "") -> bool:
    """Some element matching ``selector`` (containing ``text``) is rendered and visible."""
    return browser.evaluate(
        f"""Array.from(document.querySelectorAll({selector!r})).some(function (el) {{
            return el.checkVisibility({{visibilityProperty: true, opacityProperty: true}})
                && el.getBoundingClientRect().height > 0
                && el.textContent.indexOf({text!r}) >= 0;
        }})"""
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    samples = [
        *agent_samples("users-case", 2, total=4),
        Sample("users-case", k=4, infra="sandbox: bwrap failed to start"),
        *agent_samples("crud-case", 3, total=3),
    ]
    return write_report(make_run(tmp, samples, must_pass=("users-case",)), tmp / "no-cases")


def test_report_renders_without_console_errors_and_shows_what_matters(report):
    with Browser(width=1280, height=1000) as browser:
        browser.open(report.as_uri())
        assert visible(browser, "#summary .card .big", "%")
        assert visible(browser, "#case-table tbody tr", "users-case")
        assert visible(browser, "pre.failure-message", "must be 201, got 200")
        assert visible(browser, "#infra", "bwrap failed to start")
        browser.screenshot(ARTIFACTS / "report.png")

        # A drill-down is parsed when opened, and shows the sample's failing test.
        browser.evaluate("document.querySelector('details.sample.v-fail').open = true")
        browser.evaluate("new Promise(function (done) { setTimeout(done, 200); })")
        assert visible(browser, "details.sample.v-fail[open] .lazy-body table.tests", "failed")
        browser.evaluate("document.querySelector('details.sample[open] details.file').open = true")
        assert visible(browser, "details.sample.v-fail[open] .lazy-body table.code", "HTTP_200")

        # Sorting the case table by pass rate puts the weaker case first.
        browser.evaluate("document.querySelectorAll('#case-table thead th')[3].click()")
        first = browser.evaluate("document.querySelector('#case-table tbody tr').textContent")
        assert "users-case" in first
        browser.screenshot(ARTIFACTS / "report-open-sample.png")
        assert browser.console_errors() == []


def test_report_reads_with_javascript_off(report):
    with Browser() as browser:
        browser.open(report.as_uri(), scripts=False)
        # Drill-downs are ordinary HTML inside <noscript>; the JS-only controls stay hidden.
        assert browser.count("details.sample noscript .detail") == 8
        assert browser.count("details.sample noscript table.tests") == 7  # not the infra one
        assert browser.count("[data-filter][hidden]") == 1
        assert browser.count("pre.failure-message") >= 1
        assert browser.console_errors() == []


def test_a_failing_incomplete_report_says_what_failed_and_what_did_not_run(tmp_path):
    from evals.records import Invocation
    from evals.store import RunStore

    run_dir = make_run(tmp_path, agent_samples("users-case", 1, total=2)
                       + agent_samples("a-case-with-a-rather-long-identifier-to-wrap", 2, 2))  # fmt: skip
    store = RunStore.open(run_dir)
    info = store.read_info()
    info.planned = [f"users-case/agent-{k}" for k in range(3)]
    info.planned += [f"a-case-with-a-rather-long-identifier-to-wrap/agent-{k}" for k in range(2)]
    info.options["max_cost"] = 1.0
    info.invocations = [Invocation(started_at="now", outcome="incomplete", max_cost=1.0,
                                   requests=9, cost_usd=0.75, reused_usd=0.25, resent=2)]  # fmt: skip
    store.write_info(info)
    report = write_report(run_dir, tmp_path / "no-cases")
    with Browser(width=1280, height=1000) as browser:
        browser.open(report.as_uri())
        assert visible(browser, "#incomplete", "INCOMPLETE: 1 of 5 planned sample(s)")
        assert visible(browser, "#incomplete", "users-case (1)")
        assert visible(browser, "#what-failed li", "users-case: 1/2 sample(s) failed")
        assert not visible(browser, "#what-failed li", "a-case-with")
        assert visible(browser, ".card.spend", "$0.75")
        assert visible(browser, ".card.spend", "$0.2500 reused from the response cache")
        assert visible(browser, ".card.spend", "2 request(s) cut off by an interrupt")
        # The cases table fits the window: no sideways scroll at 1280 px.
        assert browser.evaluate(
            "document.querySelector('#case-table').getBoundingClientRect().right"
            " <= document.documentElement.clientWidth"
        )
        assert browser.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        # A transcript numbers its turns, gives their tokens and marks the cached one; the
        # grading output no longer shows the harness's canary.
        browser.evaluate("document.querySelector('details.sample.v-fail').open = true")
        browser.evaluate("new Promise(function (done) { setTimeout(done, 200); })")
        browser.evaluate(
            "document.querySelectorAll('details.sample[open] details').forEach("
            "function (d) { d.open = true; })"
        )
        sample = "details.sample.v-fail[open] .lazy-body"
        assert visible(browser, f"{sample} .msg-assistant .role", "turn 1 · assistant")
        assert visible(browser, f"{sample} .msg-assistant .role", "50 out")
        assert visible(browser, f"{sample} .msg-assistant .cached-mark", "cached")
        assert visible(browser, f"{sample} pre", "1 failed, 2 passed")
        assert not visible(browser, f"{sample} pre", "canary")
        assert visible(browser, "details.sample summary", "hidden tests")
        browser.screenshot(ARTIFACTS / "report-incomplete.png")
        assert browser.console_errors() == []


def test_compare_page_renders_without_console_errors(tmp_path):
    base = make_run(tmp_path / "b", agent_samples("users-case", 5), run_id="base")
    cand = make_run(tmp_path / "c", agent_samples("users-case", 0), run_id="cand",
                    agent_text="---\nname: x\n---\nedited prompt\n")  # fmt: skip
    baseline, candidate = open_run(base), open_run(cand)
    result = compare(baseline, candidate, GateConfig())
    _, html = write_outputs(result, baseline, candidate, tmp_path / "out")
    with Browser() as browser:
        browser.open(html.as_uri())
        assert visible(browser, "h1", "regression")
        assert visible(browser, "#flips table.pair", "HTTP_201_CREATED")
        assert visible(browser, "#flips pre.failure-message", "must be 201, got 200")
        browser.screenshot(ARTIFACTS / "compare.png")
        assert browser.console_errors() == []
