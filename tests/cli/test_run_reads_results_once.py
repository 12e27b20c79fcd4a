"""The end of ``evals run`` reads results.jsonl once and builds the DataFrame once: the
parquet, the summary and the report are all made from those rows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from evals import score
from evals.cli import main
from evals.store import RunLayout, RunStore


def test_an_offline_run_parses_its_results_once_and_builds_one_frame(
    make_case, tmp_path, monkeypatch, capsys
):
    suite = make_case().parent
    calls: Counter[str] = Counter()
    read, build = RunStore.results, score.to_frame

    def counted_results(store: RunStore):
        calls["results"] += 1
        return read(store)

    def counted_frame(rows):
        calls["to_frame"] += 1
        return build(rows)

    monkeypatch.setattr(RunStore, "results", counted_results)
    monkeypatch.setattr(score, "to_frame", counted_frame)

    code = main(["run", "--provider", "reference", "--cases", str(suite), "--workers", "1",
                 "--out", str(tmp_path / "reports")])  # fmt: skip

    out, err = capsys.readouterr()
    assert code == 0
    assert calls == {"results": 1, "to_frame": 1}
    # ...and every product of those rows was made: the summary, the parquet, the report.
    layout = RunLayout(Path(out.splitlines()[-1]))
    assert "known solutions: 2/2 as expected" in err
    assert layout.parquet.is_file() and layout.report.is_file()
    assert len(read(RunStore.open(layout.root))) == 2
