"""``evals grade RUN``: today's graders (and cases) over a run's stored workspaces, with the
generation accounting kept and no model called."""

from __future__ import annotations

from fakes.sessions import ping_session

from evals.cli import main
from evals.config import RunOptions
from evals.runner import run
from evals.store import RunStore


def test_grade_rewrites_the_results_with_todays_graders(fake_api, make_case, tmp_path, capsys):
    folder = make_case()
    fake_api.script = ping_session()
    store = RunStore.open(
        run(
            RunOptions(
                cases_dir=folder.parent, provider="anthropic", out=tmp_path, quiet=True, workers=1
            )
        )
    )
    (before,) = store.results()
    assert before.passed
    served = len(fake_api.served)

    # Today the hidden suite asks for something the stored app does not do.
    tests = folder / "tests" / "test_ping.py"
    tests.write_text(tests.read_text().replace('{"status": "ok"}', '{"status": "pong"}'))
    code = main(["grade", str(store.root), "--cases", str(folder.parent), "--workers", "1", "-q"])

    assert code == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(store.root)
    (after,) = store.results()
    assert not after.passed and after.grades["tests"].tests[0].outcome == "failed"
    assert (after.usage, after.cost_usd, after.turns) == (
        before.usage,
        before.cost_usd,
        before.turns,
    )
    assert after.gen_latency_s == before.gen_latency_s
    assert len(fake_api.served) == served
    assert "regraded_at" in store.read_info().options
    assert (store.root / "results.parquet").is_file()
