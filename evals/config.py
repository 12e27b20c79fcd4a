"""Run options: one frozen config object from the command line to the stages, and the one
place each of its defaults is written.

The command line reads its defaults from here (:func:`default`), so ``--help`` shows what a run
really uses; a stage that needs other options makes a new object with
:func:`dataclasses.replace` instead of writing to the one it was given.
"""

from __future__ import annotations

import os
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any


def _project_root() -> Path:
    """The checkout the package sits in, else the current directory.

    In a checkout (the Makefile's editable install, or running from the source tree) the
    package's parent holds ``cases/`` and ``agents/``. A non-editable ``pip install .`` puts
    the package in site-packages, whose parent is nothing of ours: the defaults then name the
    folders of wherever the command is run (a checkout, or a project using the harness).
    """
    parent = Path(__file__).resolve().parent.parent
    if (parent / "cases").is_dir() and (parent / "agents").is_dir():
        return parent
    return Path.cwd()


ROOT = _project_root()
DEFAULT_AGENT = ROOT / "agents" / "fastapi-backend-architect.md"
DEFAULT_CASES = ROOT / "cases"
DEFAULT_OUT = ROOT / "reports"
CONFIRM_ABOVE_USD = 5.0
"""On a terminal, ``evals run`` asks before a run whose high estimate is above this."""


@dataclass(frozen=True)
class RunOptions:
    agent: Path = DEFAULT_AGENT
    cases_dir: Path = DEFAULT_CASES
    """A cases folder or a dataset exported by ``evals cases export``."""
    case_ids: tuple[str, ...] = ()
    """Only these cases; empty: every case."""
    provider: str = "auto"
    samples: int = 1
    """Per case, for the agent (the offline providers play each known solution once)."""
    model: str | None = None
    """None: the agent file's model."""
    concurrency: int = 4
    """Samples generating at once."""
    max_cost: float | None = None
    batch: bool = False
    no_cache: bool = False
    resume: Path | None = None
    out: Path = DEFAULT_OUT
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    """Samples graded in parallel."""
    isolation: str = "auto"
    unsafe_local: bool = False
    grader_mode: str = "warm"
    """Asked for; run.json records the mode grading really used (fresh where warm cannot run)."""
    max_turns: int | None = None
    """None: the case's own limit."""
    max_tokens: int | None = None
    """Per reply; None: the model's own output limit (evals.models.max_output_tokens)."""
    wall_time_s: float = 900.0
    """Per sample, as asked; a provider may need longer (a batch queues for up to a day)."""
    replay_from: Path | None = None
    stand_in: tuple[str, ...] = ()
    """Harness self-check (reference provider): CASE=MUTANT plays the mutant as the reference."""
    declared_tests_only: bool = False
    """Reference provider: a mutant runs only the hidden tests it declares it fails, all that
    ``evals validate`` checks of it (``--all-tests``: the whole suite)."""
    quiet: bool = False


_FIELDS = {f.name: f for f in fields(RunOptions)}


def default(name: str) -> Any:
    """The default of RunOptions field ``name``: what a flag that is left out means."""
    spec = _FIELDS[name]  # a KeyError: no such option
    if spec.default_factory is not MISSING:
        return spec.default_factory()
    return spec.default
