"""The case facts a run keeps: made once from the cases folder, then never refreshed."""

from __future__ import annotations

from evals.snapshot import ensure_snapshot, read_snapshot, without_workspaces


def test_snapshot_is_made_once_from_the_cases_folder(make_case, tmp_path):
    folder = make_case("ping")
    run = tmp_path / "run"
    run.mkdir()
    snapshot = ensure_snapshot(run, folder.parent, ["ping", "gone"])
    facts = snapshot.get("ping")
    assert facts is not None and snapshot.get("gone") is None
    assert facts.mutants["broken"].must_fail and facts.content_hash
    (folder / "case.toml").write_text((folder / "case.toml").read_text().replace("Ping", "Pong"))
    again = ensure_snapshot(run, folder.parent, ["ping"])
    assert again == read_snapshot(run) == snapshot  # the run keeps what it was made with
    assert all(f.workspace == {} for f in without_workspaces(snapshot).cases.values())
