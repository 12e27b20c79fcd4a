"""Recording a compact baseline, and reading it back as the gate does."""

from __future__ import annotations

import hashlib
import json

import pytest
from runfactory import Sample, agent_samples, make_run

from evals.baseline import open_run, record_baseline
from evals.errors import StoreError, UsageError
from evals.gate import compare
from evals.thresholds import GateConfig


def test_a_recorded_baseline_is_compact_and_gates_like_the_run(tmp_path):
    samples = [*agent_samples("users", 4), *agent_samples("crud", 5)]
    run = make_run(tmp_path / "runs", samples, run_id="base", must_pass=("users",))
    out = record_baseline(run, tmp_path / "baseline")
    assert sorted(p.name for p in out.iterdir()) == [
        "baseline.json", "cases.json", "code.json", "results.jsonl", "run.json",
    ]  # fmt: skip
    assert not (out / "samples").exists()
    facts = json.loads((out / "cases.json").read_text())["cases"]["users"]
    assert facts["must_pass"] is True and facts["workspace"] == {}
    code = json.loads((out / "code.json").read_text())
    # One passing and one failing sample of "users", one passing of "crud".
    assert sorted(code["samples"]) == [
        "samples/crud/agent-0", "samples/users/agent-0", "samples/users/agent-4",
    ]  # fmt: skip
    assert len(code["blobs"]) == 2  # the good and the bad app/main.py, each stored once

    cand = make_run(tmp_path / "runs", [*agent_samples("users", 0), *agent_samples("crud", 5)],
                    run_id="cand", must_pass=("users",))  # fmt: skip
    from_record = compare(open_run(out), open_run(cand), GateConfig())
    from_run = compare(open_run(run), open_run(cand), GateConfig())
    assert from_record.reasons == from_run.reasons and from_record.exit_code == 1
    assert [u.tests for u in from_record.units] == [u.tests for u in from_run.units]

    baseline = open_run(out)
    row = next(r for r in baseline.rows if r.sample_dir == "samples/users/agent-0")
    changed = baseline.changed(row)
    assert changed is not None and "HTTP_201_CREATED" in changed["app/main.py"]


def test_recording_replaces_a_baseline_but_nothing_else(tmp_path):
    run = make_run(tmp_path / "runs", [Sample("users")], run_id="r1")
    out = tmp_path / "baseline"
    record_baseline(run, out)
    run2 = make_run(tmp_path / "runs", [Sample("users", False)], run_id="r2")
    record_baseline(run2, out)
    assert json.loads((out / "baseline.json").read_text())["source_run"] == "r2"
    other = tmp_path / "important"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(UsageError, match="not a recorded baseline"):
        record_baseline(run, other)
    assert (other / "notes.txt").read_text() == "keep me"


def test_unfinished_or_missing_runs_are_refused(tmp_path):
    run = make_run(tmp_path / "runs", [Sample("users")], run_id="r1")
    info = json.loads((run / "run.json").read_text())
    info["finished_at"] = None
    (run / "run.json").write_text(json.dumps(info))
    with pytest.raises(UsageError, match="did not finish"):
        record_baseline(run, tmp_path / "baseline")
    with pytest.raises(StoreError, match="no such baseline"):
        open_run(tmp_path / "nothing", role="baseline")
    with pytest.raises(StoreError, match="not a run folder"):
        open_run(tmp_path)


def test_the_committed_baseline_matches_the_committed_agent_file_and_suite():
    # `make gate` compares against reports/baseline/: recorded from another prompt or another
    # suite, every gate would report differences nobody made. Re-record with `make baseline`.
    from evals.cases import load_suite
    from evals.config import DEFAULT_AGENT, DEFAULT_CASES, ROOT
    from evals.runner import suite_hash

    info = open_run(ROOT / "reports" / "baseline").info
    assert info.agent_sha256 == hashlib.sha256(DEFAULT_AGENT.read_bytes()).hexdigest()
    assert info.suite_hash == suite_hash(load_suite(DEFAULT_CASES))
