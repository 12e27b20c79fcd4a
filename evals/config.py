"""Run options: one config object from the command line (and ``[tool.evals]``) to the stages."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_AGENT = ROOT / "agents" / "fastapi-backend-architect.md"
DEFAULT_CASES = ROOT / "cases"
DEFAULT_OUT = ROOT / "reports"
CONFIRM_ABOVE_USD = 5.0
"""On a terminal, ``evals run`` asks before a run whose high estimate is above this."""


@dataclass
class RunOptions:
    agent: Path = DEFAULT_AGENT
    cases_dir: Path = DEFAULT_CASES
    case_ids: list[str] = field(default_factory=list)
    provider: str = "auto"
    samples: int = 1
    model: str | None = None
    concurrency: int = 4
    max_cost: float | None = None
    batch: bool = False
    no_cache: bool = False
    resume: Path | None = None
    out: Path = DEFAULT_OUT
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    isolation: str = "auto"
    unsafe_local: bool = False
    grader_mode: str = "warm"
    max_turns: int | None = None
    max_tokens: int | None = None
    """Per reply; None: the model's own output limit (evals.models.max_output_tokens)."""
    wall_time_s: float = 900.0
    replay_from: Path | None = None
    stand_in: list[str] = field(default_factory=list)
    """Harness self-check (reference provider): CASE=MUTANT plays the mutant as the reference."""
    quiet: bool = False
