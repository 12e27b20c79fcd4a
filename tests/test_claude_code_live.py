"""``--provider claude-code`` against the real Messages API: opt-in only (``EVALS_LIVE=1`` and
``ANTHROPIC_API_KEY``), like tests/test_live.py.

One sample of a one-endpoint case on the cheapest alias, bounded by ``--max-cost``: it checks
what the fake cannot, that the API accepts the requests Claude Code sends through our proxy
(its betas, thinking, effort, mid-conversation system messages) and that the sample ends with
usage and a cost. Cost: a few cents.
"""

from __future__ import annotations

import os

import pytest

from evals.config import RunOptions
from evals.providers.claude_code.exchanges import LOG_NAME, ExchangeLog
from evals.runner import run
from evals.store import RunStore

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        os.environ.get("EVALS_LIVE") != "1" or not os.environ.get("ANTHROPIC_API_KEY"),
        reason="live API test: set EVALS_LIVE=1 and ANTHROPIC_API_KEY",
    ),
]


def test_claude_code_runs_a_sample_against_the_real_api(make_case, tmp_path, monkeypatch):
    monkeypatch.setenv("EVALS_CACHE_DIR", str(tmp_path / "cache"))
    folder = make_case()
    options = RunOptions(
        cases_dir=folder.parent, out=tmp_path / "reports", provider="claude-code",
        model="haiku", max_cost=0.5, max_turns=8, quiet=True, workers=1,
    )  # fmt: skip
    store = RunStore.open(run(options))
    (row,) = store.results()
    assert row.infra_error is None, row.infra_error
    assert row.turns >= 1 and row.usage.output_tokens > 0 and row.cost_usd > 0
    log = ExchangeLog.read(store.layout.sample("ping", "agent-0").engine("claude-code") / LOG_NAME)
    assert any(e.side == "subagent" and e.status == 200 for e in log)
