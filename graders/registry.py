"""Every grader the harness knows, as data: the one place a grader's name, default weight,
whether it decides a pass, its column position and its display name are written.

The case loader validates ``[graders]`` against it; scoring, the report, the gate and the
summaries read names, order and labels from it. It imports no grader (they pull in the sandbox
and schemathesis), so the case loader and the report stay light; :func:`graders.get` imports
the class when a sample is graded. Adding a grader = its module + one :class:`GraderInfo` here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graders.base import Grader

TESTS = "tests"
"""The hidden suite's grader: the one whose per-test outcomes flakiness, requirements and the
gate's evidence read."""
IMPORTS = "imports"
"""The import check: "the app does not even import" is told apart from failing tests."""
RUFF = "ruff"
"""Linted for a whole run at once (graders.ruff_batch) before samples are graded."""
API_FUZZ = "api_fuzz"
"""Runs in the judge after the hidden suite (the sandbox must know to start it)."""


@dataclass(frozen=True)
class GraderInfo:
    name: str
    """As written in ``case.toml``'s ``[graders]`` and in results."""
    target: str
    """``module:Class`` of the implementation, imported on first use."""
    display: str
    """Column heading in the report and summaries."""
    weight: float
    """Default weight in a sample's score (a case may set its own)."""
    required: bool
    """By default, a sample passes only if this grader passes."""
    default: bool = True
    """Selected for a case that lists no ``[graders]``."""

    def load(self) -> type[Grader]:
        module, _, cls = self.target.partition(":")
        return getattr(importlib.import_module(module), cls)


# Column order of reports and summaries. Behaviour (the hidden tests) dominates the score;
# static graders inform it but never decide a pass.
GRADERS: tuple[GraderInfo, ...] = (
    GraderInfo(TESTS, "graders.tests:TestsGrader", "hidden tests", 0.7, True),
    GraderInfo(IMPORTS, "graders.imports:ImportsGrader", "imports", 0.1, True),
    GraderInfo(RUFF, "graders.ruff:RuffGrader", "ruff", 0.05, False),
    GraderInfo("openapi", "graders.openapi:OpenAPIGrader", "OpenAPI", 0.05, False),
    GraderInfo("conformance", "graders.conformance:ConformanceGrader", "conformance", 0.1, False),
    # Opt-in per case: generated requests take seconds per sample.
    GraderInfo(API_FUZZ, "graders.api_fuzz:ApiFuzzGrader", "API fuzz", 0.1, False, False),
)


def names() -> tuple[str, ...]:
    return tuple(g.name for g in GRADERS)


def find(name: str) -> GraderInfo | None:
    """The grader registered as ``name``; None for a name this harness does not know (an
    older run's)."""
    return next((g for g in GRADERS if g.name == name), None)


def info(name: str) -> GraderInfo:
    known = find(name)
    if known is None:
        raise KeyError(f"unknown grader {name!r} (known: {', '.join(names())})")
    return known


def defaults() -> tuple[GraderInfo, ...]:
    """The graders a case gets when its ``case.toml`` lists none."""
    return tuple(g for g in GRADERS if g.default)


def column_order(name: str) -> int:
    """Position of a grader's column; unknown names (older runs) sort last."""
    known = names()
    return known.index(name) if name in known else len(known)


def display(name: str) -> str:
    """A grader's column heading; an unknown name (an older run's) is shown as it is."""
    known = find(name)
    return known.display if known else name


def optional(name: str) -> bool:
    """Whether a failing grade of this grader leaves a sample passing by default (unknown
    names, from older runs, are taken as deciding)."""
    known = find(name)
    return known is not None and not known.required
