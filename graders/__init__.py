"""Graders: small objects behind one protocol (``name``, ``grade(ctx) -> GradeResult``),
declared in :mod:`graders.registry` and looked up by name with :func:`get`.
"""

from __future__ import annotations

from graders.base import GradeContext, Grader
from graders.registry import GRADERS, GraderInfo, info


def get(name: str) -> Grader:
    """A new instance of the named grader (KeyError naming the known ones)."""
    return info(name).load()()


__all__ = ["GRADERS", "GradeContext", "Grader", "GraderInfo", "get", "info"]
