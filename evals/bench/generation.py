"""The harness's own overhead on generation: a real run against a fake Messages API.

The fake (``tests/fakes/messages_api.py``, reached by the real SDK over loopback HTTP) answers every
turn after a fixed latency, with a scripted multi-turn session per sample (Write, Read, Glob,
Edit, then a final answer). With ``samples`` samples at ``concurrency`` in flight, a harness
that adds nothing would take ``turns x latency x ceil(samples / concurrency)`` from the first
request to the last reply; what it takes beyond that is its overhead (the agent loop, tools,
transcripts, the durable response cache, the event loop). Grading is trivial (ruff only).
"""

from __future__ import annotations

import http.server
import math
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.config import ROOT, RunOptions

CASE_TOML = """\
id = "bench-generation"
title = "Generation overhead probe"
kind = "create"
difficulty = "easy"
tags = ["api-design"]
entrypoint = "app.main:app"

[graders.ruff]
weight = 1.0
required = false

[mutants.broken]
description = "wrong body"
must_fail = ["test_ping"]
"""
APP = textwrap.dedent(
    """
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/api/v1/ping")
    def ping() -> dict[str, str]:
        return {"status": "ok"}
    """
)
TESTS = textwrap.dedent(
    """
    import pytest


    @pytest.mark.rule("api-design")
    def test_ping(client):
        assert client.get("/api/v1/ping").status_code == 200
    """
)


@dataclass(frozen=True)
class GenerationBench:
    samples: int
    concurrency: int
    turns: int
    latency_s: float
    ideal_s: float
    actual_s: float
    """From the first request the fake received to the last reply it sent."""
    run_s: float
    """The whole ``evals run``: start-up, generation, grading, results.parquet."""
    requests: int

    @property
    def overhead(self) -> float:
        return self.actual_s / self.ideal_s - 1.0

    @property
    def per_turn_ms(self) -> float:
        """What the harness adds to each turn of a sample, in milliseconds."""
        waves = math.ceil(self.samples / self.concurrency)
        return (self.actual_s - self.ideal_s) / (self.turns * waves) * 1000


def _fakes() -> Any:
    tests = ROOT / "tests"
    if str(tests) not in sys.path:
        sys.path.insert(0, str(tests))
    import fakes.messages_api as api  # the repository's wire-level fake, reused

    return api


def _session(api: Any) -> list[Any]:
    main = "/workspace/app/main.py"

    def call(turn: int, name: str, tool_input: dict[str, Any]) -> Any:
        return api.Reply([api.tool_use(name, tool_input, f"toolu_{turn}_0")], "tool_use")

    package = {"file_path": "/workspace/app/__init__.py", "content": ""}
    writes = api.Reply(
        [
            api.tool_use("Write", package, "toolu_0_0"),
            api.tool_use("Write", {"file_path": main, "content": APP}, "toolu_0_1"),
        ],
        "tool_use",
    )
    edit = {"file_path": main, "old_string": '"ok"', "new_string": '"pong"'}
    return [
        writes,
        call(1, "Read", {"file_path": main}),
        call(2, "Glob", {"pattern": "**/*.py"}),
        call(3, "Edit", edit),
        api.Reply([api.text("The ping endpoint is in app/main.py.")]),
    ]


def run_generation_bench(
    *, samples: int = 16, concurrency: int = 8, latencies: tuple[float, ...] = (0.5, 2.0)
) -> tuple[GenerationBench, list[GenerationBench]]:
    """(a first run in this process, cold; then a steady-state run per latency).

    The cold run pays one-off costs inside its window (the SDK builds hundreds of pydantic
    models on first use, blocking the event loop); the others show what the harness adds
    per turn, which is what the overhead goal is about. That addition is roughly constant
    in milliseconds, so its share shrinks as the latency per turn grows.
    """
    cold = _measure(samples, concurrency, min(latencies))
    return cold, [_measure(samples, concurrency, latency) for latency in latencies]


def serve(latency_s: float, log: str) -> None:
    """Run the fake in this process (the bench's child): URL on stdout, until stdin closes.

    Each answered request appends ``start end`` (monotonic clock, shared by all processes)
    to ``log``. In its own process, the fake's work never competes with the harness's
    event loop for the GIL.
    """
    api = _fakes()
    scripted = api.by_turn(_session(api))
    lock = threading.Lock()

    def slow(body: dict[str, Any]) -> Any:
        # The reply is ready exactly ``latency_s`` after the request: the fake's own work
        # (done first, its threads sharing one GIL) is not charged to the harness.
        started = time.monotonic()
        reply = scripted(body)
        time.sleep(max(0.0, started + latency_s - time.monotonic()))
        with lock, open(log, "a") as handle:
            handle.write(f"{started} {time.monotonic()}\n")
        return reply

    # socketserver listens with a backlog of 5: the 6th simultaneous connection's SYN is
    # dropped and retried a second later, which would be charged to the harness.
    http.server.ThreadingHTTPServer.request_queue_size = 128
    with api.FakeMessagesAPI(slow) as fake:
        print(fake.url, flush=True)
        sys.stdin.read()


def _measure(samples: int, concurrency: int, latency_s: float) -> GenerationBench:
    from evals.runner import run

    with tempfile.TemporaryDirectory(prefix="evals-bench-gen-") as tmp:
        root = Path(tmp)
        case = root / "cases" / "bench-generation"
        for rel, text in {
            "case.toml": CASE_TOML,
            "prompt.md": "Add a ping endpoint.\n",
            "tests/test_ping.py": TESTS,
            "reference/app/__init__.py": "",
            "reference/app/main.py": APP,
            "mutants/broken/app/main.py": APP.replace('"ok"}', '"ko"}'),
        }.items():
            (case / rel).parent.mkdir(parents=True, exist_ok=True)
            (case / rel).write_text(text)
        log = root / "requests.log"
        code = f"from evals.bench.generation import serve; serve({latency_s!r}, {str(log)!r})"
        server = subprocess.Popen(
            [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        saved = {k: os.environ.get(k) for k in _ENV}
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip()
            if not url:
                raise RuntimeError("the fake Messages API did not start")
            os.environ.update(
                {
                    "ANTHROPIC_BASE_URL": url,
                    "ANTHROPIC_API_KEY": "sk-ant-bench-fake-key",
                    "EVALS_CACHE_DIR": str(root / "response-cache"),
                    "EVALS_MAX_RETRIES": "0",
                }
            )
            os.environ.pop("ANTHROPIC_AUTH_TOKEN", None)
            options = RunOptions(
                cases_dir=root / "cases",
                out=root / "reports",
                provider="anthropic",
                samples=samples,
                concurrency=concurrency,
                workers=2,
                no_cache=True,
                quiet=True,
            )
            start = time.monotonic()
            run(options)
            run_s = time.monotonic() - start
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            server.communicate(timeout=30)
        window = [float(v) for line in log.read_text().splitlines() for v in line.split()]
    turns = len(_session(_fakes()))
    ideal = turns * latency_s * math.ceil(samples / concurrency)
    return GenerationBench(
        samples=samples,
        concurrency=concurrency,
        turns=turns,
        latency_s=latency_s,
        ideal_s=ideal,
        actual_s=(max(window) - min(window)) if window else float("nan"),
        run_s=run_s,
        requests=len(window) // 2,
    )


_ENV = (
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "EVALS_CACHE_DIR",
    "EVALS_MAX_RETRIES",
)
