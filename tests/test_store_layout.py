"""The run folder's layout (one owner of every name in it) and the one atomic write."""

from __future__ import annotations

import errno
import os

import pytest

from evals import store as store_module
from evals.config import ROOT
from evals.errors import StoreError
from evals.store import RunLayout, RunStore, atomic_write


def test_the_layout_reads_the_folders_that_runs_and_the_committed_baseline_already_have():
    baseline = RunStore.open(ROOT / "reports" / "baseline")
    layout = baseline.layout
    assert layout.info.is_file() and layout.results.is_file() and layout.cases.is_file()
    row = baseline.results()[0]
    sample = layout.sample_at(row.sample_dir)
    # A row's sample_dir is the layout's own spelling of that sample's folder.
    assert sample == layout.sample(row.case_id, f"{row.variant}-{row.sample}")
    assert (
        layout.sample_dir(sample)
        == row.sample_dir
        == (f"samples/{row.case_id}/{row.variant}-{row.sample}")
    )


def test_a_sample_folder_holds_its_transcript_workspace_grades_and_grading_logs(tmp_path):
    sample = RunLayout(tmp_path).sample("ping", "agent-0")
    assert sample.root == tmp_path / "samples" / "ping" / "agent-0"
    names = [sample.transcript, sample.workspace, sample.grades, sample.grading.stdout]
    assert [p.relative_to(sample.root).as_posix() for p in names] == [
        "transcript.json", "workspace", "grades.json", "grading/stdout.txt",
    ]  # fmt: skip


def test_samples_of_lists_a_cases_sample_folders_by_name(tmp_path):
    layout = RunLayout(tmp_path)
    for dirname in ("mutant-broken-0", "agent-1", "agent-0"):
        layout.sample("ping", dirname).root.mkdir(parents=True)
    assert [s.root.name for s in layout.samples_of("ping")] == [
        "agent-0", "agent-1", "mutant-broken-0",
    ]  # fmt: skip
    assert layout.samples_of("no-such-case") == []


def test_atomic_write_fsyncs_the_file_before_the_rename_and_the_folder_after(tmp_path, monkeypatch):
    events: list[str] = []
    fsync, replace = os.fsync, os.replace

    def logged_fsync(fd: int) -> None:
        events.append("fsync")
        fsync(fd)

    def logged_replace(src, dst) -> None:
        events.append("replace")
        replace(src, dst)

    monkeypatch.setattr(store_module.os, "fsync", logged_fsync)
    monkeypatch.setattr(store_module.os, "replace", logged_replace)
    path = tmp_path / "deep" / "run.json"
    atomic_write(path, "one")
    atomic_write(path, b"two")
    assert path.read_text() == "two"
    assert events == ["fsync", "replace", "fsync"] * 2  # the file, the rename, the folder
    assert os.listdir(path.parent) == ["run.json"]  # no temporary left behind


def test_a_failed_atomic_write_is_a_store_error_and_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "report.html"
    atomic_write(path, "old")

    def full(src, dst) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module.os, "replace", full)
    with pytest.raises(StoreError, match="no space left on the device"):
        atomic_write(path, "new")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["report.html"]  # the temporary is removed


def test_a_write_outside_the_run_folder_names_what_could_not_be_written(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("where a folder should be")
    with pytest.raises(StoreError, match="cannot write the response cache: Not a directory"):
        atomic_write(blocked / "ab" / "key.json", "{}", what="the response cache")
