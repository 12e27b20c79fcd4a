"""Runs that survive faults: ``evals run`` interrupted (Ctrl-C, SIGTERM) or killed (-9) at
several points, then resumed, grades every sample exactly once; two runs at once do not
clobber each other; an unwritable or full reports folder is a clear error, not a traceback.

Every run here is a real ``evals run`` subprocess on a small synthetic case.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from leftovers import survivors_after

from evals.cli import main as cli_main
from evals.records import SampleResult
from evals.workspace import Workspace

EVALS = [sys.executable, "-m", "evals"]
SLOW_APP = "import time\n\ntime.sleep(0.5)\n"
MUTANTS = ("broken", "slow-broken", "empty-reply")
TOML = """
id = "ping"
title = "Ping"
kind = "create"
difficulty = "easy"
tags = ["api-design"]
entrypoint = "app.main:app"

[limits]
timeout_s = 60

[mutants.broken]
must_fail = ["test_ping_answers_ok"]

[mutants.slow-broken]
must_fail = ["test_ping_answers_ok"]

[mutants.empty-reply]
must_fail = ["test_ping_answers_ok"]
"""
KEYS = {("ping", "reference", 0)} | {("ping", f"mutant-{m}", 0) for m in MUTANTS}


@pytest.fixture
def case_dir(make_case) -> Path:
    folder = make_case(toml=TOML)
    app = (folder / "reference/app/main.py").read_text()
    broken = app.replace('"ok"}', '"ko"}')
    for name, text in {
        "broken": broken,
        "slow-broken": SLOW_APP + broken,
        "empty-reply": app.replace('{"status": "ok"}', "{}"),
    }.items():
        (folder / "mutants" / name / "app").mkdir(parents=True, exist_ok=True)
        (folder / "mutants" / name / "app/main.py").write_text(text)
    return folder.parent


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """TMPDIR of the runs: grading folders under it mark their processes as this test's."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    yield folder
    assert survivors_after([str(tmp_path)]) == []


def start(args: list[str], scratch: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC")}
    env["TMPDIR"] = str(scratch)
    return subprocess.Popen(
        [*EVALS, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A test runner started in the background may ignore SIGINT; Ctrl-C must reach Python.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def finish(proc: subprocess.Popen[str], timeout: float = 300) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def run_folder(out: Path) -> Path | None:
    folders = [p for p in out.glob("*") if (p / "run.json").is_file()] if out.exists() else []
    return folders[0] if len(folders) == 1 else None


def rows_written(out: Path) -> int:
    folder = run_folder(out)
    if folder is None or not (folder / "results.jsonl").exists():
        return 0
    return (folder / "results.jsonl").read_bytes().count(b"\n")


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 240
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the run ended before {what}: {proc.communicate()[1][-2000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def grading_in_progress(scratch: Path) -> bool:
    """A sample is being graded: fresh mode's scratch folder, or a job in a warm worker's."""
    fresh = any(p.name.startswith("evals-grade-") for p in scratch.iterdir())
    return fresh or any(scratch.glob("evals-warm-*/jobs/*/app/work"))


def valid_rows(run_dir: Path) -> list[SampleResult]:
    """Every parseable row of results.jsonl (a torn last line from a kill is not one)."""
    rows = []
    path = run_dir / "results.jsonl"
    for line in path.read_text().splitlines() if path.exists() else []:
        try:
            rows.append(SampleResult.model_validate_json(line))
        except ValueError:
            continue
    return rows


def assert_graded_once(run_dir: Path) -> None:
    rows = valid_rows(run_dir)
    counts = collections.Counter(r.key for r in rows)
    assert set(counts) == KEYS and set(counts.values()) == {1}, counts
    for row in rows:
        assert row.infra_error is None, row.infra_error
        assert row.passed == (row.variant == "reference"), (row.variant, row.grades)


INTERRUPTIONS = {
    "ctrl-c after the first sample": (signal.SIGINT, lambda out, scratch: rows_written(out) >= 1),
    "sigterm after two samples": (signal.SIGTERM, lambda out, scratch: rows_written(out) >= 2),
    "kill -9 after the first sample": (signal.SIGKILL, lambda out, s: rows_written(out) >= 1),
    "kill -9 while the first sample is graded": (
        signal.SIGKILL,
        lambda out, scratch: run_folder(out) is not None and grading_in_progress(scratch),
    ),
    "sigterm while the first sample is graded": (
        signal.SIGTERM,
        lambda out, scratch: run_folder(out) is not None and grading_in_progress(scratch),
    ),
}


@pytest.mark.parametrize("point", list(INTERRUPTIONS))
def test_interrupted_run_resumes_to_every_sample_graded_once(point, case_dir, tmp_path, scratch):
    sig, ready = INTERRUPTIONS[point]
    out = tmp_path / "reports"
    proc = start(
        ["run", "--provider", "reference", "--cases", str(case_dir), "--out", str(out),
         "--workers", "1", "--concurrency", "1"],
        scratch,
    )  # fmt: skip
    wait_for(lambda: ready(out, scratch), proc, point)
    proc.send_signal(sig)
    code, _, err = finish(proc)
    run_dir = run_folder(out)
    assert run_dir is not None
    if sig == signal.SIGKILL:
        assert code == -signal.SIGKILL
    else:
        assert code == 130, err
        assert "--resume" in err and "Traceback" not in err, err
    # What was interrupted left nothing running; what finished is intact.
    assert survivors_after([str(tmp_path)]) == []
    before = valid_rows(run_dir)
    assert len({r.key for r in before}) == len(before)

    code, stdout, err = finish(
        start(["run", "--resume", str(run_dir), "--cases", str(case_dir)], scratch)
    )
    assert code == 0, err
    assert stdout.strip().splitlines()[-1] == str(run_dir)
    assert_graded_once(run_dir)
    # Samples finished before the fault were kept, not graded again.
    after = {r.key: r for r in valid_rows(run_dir)}
    assert all(after[r.key].model_dump() == r.model_dump() for r in before)
    assert list(scratch.iterdir()) == []


def test_two_runs_at_once_do_not_clobber_each_other(case_dir, tmp_path, scratch):
    out = tmp_path / "reports"
    args = ["run", "--provider", "reference", "--cases", str(case_dir), "--out", str(out)]
    first, second = (
        start([*args, "--workers", "1"], scratch),
        start([*args, "--workers", "1"], scratch),
    )
    results = [finish(first), finish(second)]
    assert [code for code, _, _ in results] == [0, 0], [err[-2000:] for _, _, err in results]
    folders = {Path(stdout.strip().splitlines()[-1]) for _, stdout, _ in results}
    assert len(folders) == 2
    for folder in folders:
        assert_graded_once(folder)


def test_resuming_a_run_that_is_still_going_is_refused(case_dir, tmp_path, scratch):
    out = tmp_path / "reports"
    running = start(
        ["run", "--provider", "reference", "--cases", str(case_dir), "--out", str(out),
         "--workers", "1"],
        scratch,
    )  # fmt: skip
    wait_for(lambda: grading_in_progress(scratch), running, "grading")
    run_dir = run_folder(out)
    assert run_dir is not None
    code, _, err = finish(
        start(["run", "--resume", str(run_dir), "--cases", str(case_dir)], scratch)
    )
    assert code == 2 and "another process is writing this run" in err, err
    code, _, err = finish(running)
    assert code == 0, err
    assert_graded_once(run_dir)


def storage_failure(args: list[str], scratch: Path) -> str:
    code, _, err = finish(start(args, scratch))
    assert code == 2, err
    assert "Traceback" not in err and "evals run: error:" in err, err
    return err


def test_an_unwritable_reports_folder_is_a_clear_error(case_dir, tmp_path, scratch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    base = ["run", "--provider", "reference", "--cases", str(case_dir)]
    err = storage_failure([*base, "--out", str(blocker / "reports")], scratch)
    assert "Not a directory" in err
    if os.geteuid() == 0:  # root writes through permission bits: use a read-only mount
        readonly = tmp_path / "readonly"
        with mounted(readonly, "ro,size=1m") as ok:
            if ok:
                err = storage_failure([*base, "--out", str(readonly)], scratch)
                assert "read-only" in err
    else:
        readonly = tmp_path / "readonly"
        readonly.mkdir(mode=0o555)
        err = storage_failure([*base, "--out", str(readonly)], scratch)
        assert "permission denied" in err


@contextlib.contextmanager
def mounted(path: Path, options: str) -> Iterator[bool]:
    """A tmpfs mounted at ``path`` for the block; yields False if this machine forbids it."""
    path.mkdir(exist_ok=True)
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True
    )
    try:
        yield proc.returncode == 0
    finally:
        if proc.returncode == 0:
            subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.mark.parametrize("size", ["24k", "64k", "160k"])
def test_a_full_disk_is_a_clear_error_and_the_run_resumes(size, case_dir, tmp_path, scratch):
    if os.geteuid() != 0:
        pytest.skip("simulating a full disk needs a tiny tmpfs (root)")
    tiny = tmp_path / "tiny"
    with mounted(tiny, f"size={size}") as ok:
        if not ok:
            pytest.skip("this machine does not allow mounting a tmpfs")
        err = storage_failure(
            ["run", "--provider", "reference", "--cases", str(case_dir), "--out", str(tiny),
             "--workers", "1"],
            scratch,
        )  # fmt: skip
        assert "no space left" in err.lower()
        subprocess.run(["mount", "-o", "remount,size=64m", str(tiny)], check=True)
        run_dir = run_folder(tiny)
        if run_dir is not None:  # the space is back: the same run finishes
            code, _, err = finish(
                start(["run", "--resume", str(run_dir), "--cases", str(case_dir)], scratch)
            )
            assert code == 0, err
            assert_graded_once(run_dir)


def test_a_full_disk_anywhere_in_a_run_is_a_clear_error(case_dir, tmp_path, monkeypatch, capsys):
    """Without a tmpfs: the disk fills up while a sample's workspace is being written."""

    def full(*_args: object, **_kwargs: object) -> Workspace:
        raise OSError(28, "No space left on device", str(tmp_path / "reports" / "x"))

    monkeypatch.setattr(Workspace, "create", full)
    code = cli_main(
        ["run", "--provider", "reference", "--cases", str(case_dir), "--out",
         str(tmp_path / "reports"), "--quiet"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "no space left" in err and "Traceback" not in err, err


def test_results_survive_a_torn_last_line_and_garbage(case_dir, tmp_path, scratch):
    out = tmp_path / "reports"
    code, stdout, err = finish(
        start(["run", "--provider", "reference", "--cases", str(case_dir), "--out", str(out)],
              scratch)
    )  # fmt: skip
    assert code == 0, err
    run_dir = Path(stdout.strip().splitlines()[-1])
    lines = (run_dir / "results.jsonl").read_text().splitlines()
    # Keep two rows, then garbage, then a row torn in half (no newline), as a crash leaves.
    damaged = "\n".join(lines[:2]) + "\n{not json\n" + lines[2][: len(lines[2]) // 2]
    (run_dir / "results.jsonl").write_text(damaged)
    code, _, err = finish(
        start(["run", "--resume", str(run_dir), "--cases", str(case_dir)], scratch)
    )
    assert code == 0, err
    assert_graded_once(run_dir)
    assert json.loads((run_dir / "results.jsonl").read_text().splitlines()[0])["run_id"]
