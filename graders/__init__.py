"""Graders: small objects behind one protocol (``name``, ``grade(ctx) -> GradeResult``),
selected per case and looked up by name in :data:`REGISTRY`.
"""

from __future__ import annotations

from graders.api_fuzz import ApiFuzzGrader
from graders.base import GradeContext, Grader
from graders.conformance import ConformanceGrader
from graders.imports import ImportsGrader
from graders.openapi import OpenAPIGrader
from graders.ruff import RuffGrader
from graders.tests import TestsGrader

REGISTRY: dict[str, type[Grader]] = {
    "ruff": RuffGrader,
    "imports": ImportsGrader,
    "tests": TestsGrader,
    "conformance": ConformanceGrader,
    "openapi": OpenAPIGrader,
    "api_fuzz": ApiFuzzGrader,
}


def get(name: str) -> Grader:
    try:
        return REGISTRY[name]()
    except KeyError:
        raise KeyError(f"unknown grader {name!r} (known: {sorted(REGISTRY)})") from None


__all__ = ["REGISTRY", "GradeContext", "Grader", "get"]
