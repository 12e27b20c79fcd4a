"""How long ``evals --help`` takes, and whether it pulled in the heavy imports."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HEAVY = ("pandas", "pyarrow", "datasets", "anthropic", "jinja2", "fastapi", "pydantic")
_PROBE = (
    "import contextlib, io, sys\n"
    "from evals.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    main(['--help'])\n"
    f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
)


@dataclass(frozen=True)
class StartupBench:
    runs_s: list[float]
    heavy_loaded: list[str]

    @property
    def median_s(self) -> float:
        return statistics.median(self.runs_s)


def evals_command() -> list[str]:
    script = Path(sys.executable).with_name("evals")
    return [str(script)] if script.exists() else [sys.executable, "-m", "evals"]


def run_startup_bench(runs: int = 7) -> StartupBench:
    command = [*evals_command(), "--help"]
    subprocess.run(command, capture_output=True, check=False)  # warm the page cache
    times = []
    for _ in range(runs):
        start = time.monotonic()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.monotonic() - start)
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=False
    )
    loaded = [m for m in probe.stdout.strip().split(",") if m]
    return StartupBench(runs_s=times, heavy_loaded=loaded)
