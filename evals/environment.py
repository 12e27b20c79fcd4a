"""The one place that declares the environment generated code runs in.

The versions come from the installed distributions (pinned in ``pyproject.toml``), so what
the agent is told is exactly what the grader runs.
"""

from __future__ import annotations

import platform
from functools import cache
from importlib import metadata

# Distributions generated apps may import, in the order the agent is told about them.
GENERATED_APP_PACKAGES = (
    "fastapi",
    "starlette",
    "pydantic",
    "pydantic-settings",
    "email-validator",
    "sqlalchemy",
    "aiosqlite",
    "greenlet",
    "pyjwt",
    "bcrypt",
    "pwdlib",
    "argon2-cffi",
    "python-multipart",
    "httpx",
)

DEFAULT_ENTRYPOINT = "app.main:app"


@cache
def package_versions() -> tuple[tuple[str, str], ...]:
    """(name, version) of every package generated code may use, as installed."""
    out = []
    for name in GENERATED_APP_PACKAGES:
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            continue
    return tuple(out)


def python_version() -> str:
    return platform.python_version()
