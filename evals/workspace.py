"""The agent's private workspace: path confinement and protected files.

The agent is told its workspace root is ``/workspace`` (a virtual path, the same for every
sample, so identical requests stay identical and cacheable). A path the agent gives may be
relative to that root or absolute under it; anything that resolves elsewhere (``..``, other
absolute paths, symlinks pointing out) is refused, as are writes to files that would let
generated code tamper with grading.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from evals.errors import WorkspaceError

VIRTUAL_ROOT = PurePosixPath("/workspace")

# Files that pytest, Python start-up or packaging would execute or read as configuration.
PROTECTED_NAMES = (
    "conftest.py",
    "pytest.ini",
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "tox.ini",
    "sitecustomize.py",
    "usercustomize.py",
    "*.pth",
)
PROTECTED_DIRS = ("tests", ".git")


@dataclass(frozen=True)
class Limits:
    max_files: int = 300
    max_file_bytes: int = 1_000_000
    max_total_bytes: int = 20_000_000


def protected_reason(rel: PurePosixPath) -> str | None:
    """Why writing ``rel`` is refused, or None when it is allowed."""
    if rel.parts and rel.parts[0] in PROTECTED_DIRS:
        return f"files under {rel.parts[0]}/ are reserved for the grader"
    for pattern in PROTECTED_NAMES:
        if fnmatch.fnmatch(rel.name, pattern):
            return f"{rel.name} is reserved for the grader (it would change how tests run)"
    return None


class Workspace:
    """A directory the agent may read and write, and nothing outside it."""

    def __init__(self, root: Path, limits: Limits | None = None) -> None:
        self.root = Path(root).resolve()
        self.limits = limits or Limits()

    @classmethod
    def create(cls, root: Path, files: Mapping[str, bytes]) -> Workspace:
        root.mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        return cls(root)

    # --- path confinement -------------------------------------------------------------------

    def relative(self, given: str) -> PurePosixPath:
        """Normalise an agent-given path to a path relative to the root, or refuse it."""
        if not isinstance(given, str) or not given.strip():
            raise WorkspaceError("a non-empty file path is required")
        if "\x00" in given:
            raise WorkspaceError("path contains a NUL byte")
        path = PurePosixPath(given.strip())
        if path.is_absolute():
            try:
                path = path.relative_to(VIRTUAL_ROOT)
            except ValueError:
                raise WorkspaceError(
                    f"{given}: outside the workspace (paths must be under {VIRTUAL_ROOT})"
                ) from None
        parts: list[str] = []
        for part in path.parts:
            if part in ("", "."):
                continue
            if part == "..":
                if not parts:
                    raise WorkspaceError(f"{given}: resolves outside the workspace")
                parts.pop()
            else:
                parts.append(part)
        return PurePosixPath(*parts) if parts else PurePosixPath(".")

    def resolve(self, given: str) -> Path:
        """The real path for an agent-given path; symlinks must stay inside the root."""
        rel = self.relative(given)
        real = Path(os.path.realpath(self.root / rel))
        if real != self.root and self.root not in real.parents:
            raise WorkspaceError(f"{given}: resolves outside the workspace (via a symlink)")
        return real

    def display(self, real: Path) -> str:
        rel = real.relative_to(self.root).as_posix()
        return str(VIRTUAL_ROOT / rel) if rel != "." else str(VIRTUAL_ROOT)

    def check_writable(self, given: str, size: int) -> Path:
        rel = self.relative(given)
        if rel == PurePosixPath("."):
            raise WorkspaceError(f"{given}: is the workspace root, not a file")
        if reason := protected_reason(rel):
            raise WorkspaceError(f"{given}: write refused: {reason}")
        real = self.resolve(given)
        if real.is_dir():
            raise WorkspaceError(f"{given}: is a directory")
        if size > self.limits.max_file_bytes:
            raise WorkspaceError(f"{given}: {size} bytes exceeds {self.limits.max_file_bytes}")
        files = self.files()
        if not real.exists() and len(files) >= self.limits.max_files:
            raise WorkspaceError(f"workspace already holds {len(files)} files (the limit)")
        total = sum(p.stat().st_size for p in files if p != real) + size
        if total > self.limits.max_total_bytes:
            raise WorkspaceError(f"workspace would exceed {self.limits.max_total_bytes} bytes")
        return real

    # --- contents ---------------------------------------------------------------------------

    def files(self) -> list[Path]:
        return sorted(
            p
            for p in self.root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and not p.is_symlink()
        )

    def snapshot(self) -> dict[str, bytes]:
        return {p.relative_to(self.root).as_posix(): p.read_bytes() for p in self.files()}

    def copy_to(self, target: Path) -> None:
        """Copy regular files only (symlinks are dropped so nothing points outside)."""
        if target.exists():
            shutil.rmtree(target)
        for rel, content in self.snapshot().items():
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(content)
        target.mkdir(parents=True, exist_ok=True)
