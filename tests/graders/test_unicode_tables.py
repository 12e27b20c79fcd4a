"""hypothesis's Unicode tables: built once by the harness, read (never rebuilt) by the judges
that fuzz, and identical to the ones hypothesis builds itself."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evals.execute import sandbox as sb
from evals.execute import unicode_tables
from evals.execute.warm_pool import unsupported_reason
from evals.execute.warm_worker import Worker

BUILD = (
    "from hypothesis.internal.charmap import charmap, intervals_from_codec\n"
    "charmap(); intervals_from_codec('utf-8')\n"
)


def decoded(folder: Path) -> dict[str, object]:
    return {
        str(path.relative_to(folder)): json.loads(gzip.decompress(path.read_bytes()))
        for path in sorted(folder.rglob("*.json.gz"))
    }


def test_the_harness_tables_are_the_ones_hypothesis_builds_itself(tmp_path):
    cached = unicode_tables.tables()
    assert cached is not None
    own = tmp_path / "own"
    subprocess.run(
        [sys.executable, "-c", BUILD],
        env={**os.environ, unicode_tables.STORAGE_ENV: str(own)},
        check=True,
    )
    assert decoded(own) and decoded(cached) == decoded(own)
    copied = unicode_tables.install(tmp_path / "runtime")
    assert copied == tmp_path / "runtime" / unicode_tables.FOLDER
    assert decoded(copied) == decoded(own)
    # Readable by a sandbox's dropped uid, whoever built them.
    assert all(p.stat().st_mode & 0o004 for p in copied.rglob("*"))


def test_tables_that_cannot_be_kept_leave_hypothesis_to_build_them(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(unicode_tables, "CACHE", blocker / "cache")
    monkeypatch.setattr(unicode_tables, "_BUILT", {})
    assert unicode_tables.tables() is None
    assert unicode_tables.install(tmp_path / "runtime") is None
    assert not (tmp_path / "runtime").exists()


@pytest.fixture
def level() -> str:
    level = sb.choose_level("auto")
    if reason := unsupported_reason(sb.Sandbox(level)):
        pytest.skip(f"warm workers cannot run here: {reason}")
    return level


def test_a_fuzzing_judge_reads_the_harness_tables_and_builds_none(level):
    worker = Worker(sb.Sandbox(level), sys.executable, role="judge", fuzz=True)
    try:
        assert {"hypothesis", "schemathesis"} <= worker.preloaded
        # hypothesis writes the tables it builds into its storage folder, by default under
        # the server's working folder: nothing there means it read the harness's copy.
        assert list(worker.jobs.iterdir()) == []
    finally:
        worker.close()


def test_a_judge_of_a_run_without_generated_requests_skips_their_stack(level):
    worker = Worker(sb.Sandbox(level), sys.executable, role="judge")
    try:
        assert "pytest" in worker.preloaded
        assert not {"hypothesis", "schemathesis"} & worker.preloaded
    finally:
        worker.close()
