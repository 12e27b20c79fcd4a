"""SIGTERM and Ctrl-C end a command promptly in every state, with exit 130 and what finished
kept: while a model call is in flight, while a sample is graded, in a command that has no
event loop of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from fakes.fixtures import fake_api
from fakes.sessions import ping_session
from leftovers import survivors_after

from evals.config import ROOT
from evals.store import RunStore

__all__ = ["fake_api"]
ENDS_WITHIN_S = 30
"""Generous: an interrupted command that hangs waits for ever, one that ends takes ~1 s."""


def start(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "evals", *args],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def interrupt(child: subprocess.Popen[str], sig: int) -> tuple[int, str]:
    child.send_signal(sig)
    try:
        _, err = child.communicate(timeout=ENDS_WITHIN_S)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail(f"still running {ENDS_WITHIN_S} s after {signal.Signals(sig).name}")
    return child.returncode, err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_run_waiting_on_the_model_ends_at_once_and_resumes(fake_api, make_case, tmp_path, sig):
    folder = make_case()
    fake_api.script = ping_session()
    fake_api.hold_after = 2  # sample 0 finishes; sample 1's first call hangs
    out = tmp_path / "reports"
    child = start(["run", "--provider", "anthropic", "--cases", str(folder.parent),
                   "--samples", "2", "--concurrency", "1", "--workers", "1", "--out", str(out)])  # fmt: skip
    assert fake_api.held.wait(timeout=60), "the run never reached the held request"
    deadline = time.monotonic() + 60
    while not list(out.glob("*/results.jsonl")) and time.monotonic() < deadline:
        time.sleep(0.1)
    code, err = interrupt(child, sig)
    assert code == 130, err
    assert "--resume" in err and "Traceback" not in err, err
    (run_dir,) = out.iterdir()
    assert [r.sample for r in RunStore.open(run_dir).results()] == [0]
    assert survivors_after([str(tmp_path)]) == []


def test_a_command_without_an_event_loop_ends_on_sigterm(tmp_path):
    child = start(["validate", "--case", "crud-pagination"])
    time.sleep(3)  # into the suite's grading
    code, err = interrupt(child, signal.SIGTERM)
    assert code == 130, err
    assert "interrupted" in err and "Traceback" not in err, err
