"""Harness-owned set-up for the `file-upload` suite.

`UPLOAD_DIR` comes from this case's `[env]` table, so the app has it before the import check
first imports it, and this suite reads it back from the environment. The upload directory
sits three levels below the watched tree's root (`<root>/data/uploads/store`, with `<root>`
named `srv`, in the app's data folder), so a file that escapes it through up to three `../`
lands inside the tree, where the checks see it.

The tree is the app's: this suite runs as another user and never opens it. The case's shim
(`shim/evals_case_shim.py`) lays out its skeleton and `<root>/data/secret.txt` in the app's
process before the app is served, and the checks read copies of the app's data folder the
harness makes on request (`data_snapshot`: regular files and folders only, links never
followed). :class:`Tree` is one such copy of the watched tree; paths it reports are the
app's paths (under `UPLOAD_ROOT`), so messages name where the app put things.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
from evals_runtime.probes.uploads import DEFAULT_IGNORE
from evals_runtime.sample_files import SampleFileError, read_regular

UPLOAD_DIR = Path(os.path.abspath(os.environ["UPLOAD_DIR"]))
UPLOAD_ROOT = UPLOAD_DIR.parents[2]
DATA_DIR = UPLOAD_ROOT.parent
assert UPLOAD_ROOT.name == "srv" and UPLOAD_DIR.relative_to(UPLOAD_ROOT) == Path(
    "data/uploads/store"
), "see case.toml [env]: UPLOAD_DIR must be {data}/srv/data/uploads/store"
SECRET_FILE = UPLOAD_ROOT / "data" / "secret.txt"
SHIM_ERROR_PATH = "/__evals__/shim-error"
MAX_READ_BYTES = 64 * 1024 * 1024


def inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


@dataclass(frozen=True)
class Tree:
    """The watched tree (`UPLOAD_ROOT`) at one moment, read from a copy of the app's data.

    ``files`` maps each regular file (by the app's path) to ``(size, sha256)``; ``dirs`` holds
    every folder, the root included when it exists.
    """

    copy: Path
    files: dict[Path, tuple[int, str]]
    dirs: frozenset[Path]

    @classmethod
    def of(cls, snapshot: Path) -> Tree:
        copy = snapshot / UPLOAD_ROOT.relative_to(DATA_DIR)
        files: dict[Path, tuple[int, str]] = {}
        dirs: set[Path] = set()
        if copy.is_dir() and not copy.is_symlink():
            for current, _dirnames, filenames in os.walk(copy, followlinks=False):
                here = UPLOAD_ROOT / Path(current).relative_to(copy)
                dirs.add(here)
                for name in filenames:
                    data = cls._read(Path(current, name))
                    if data is not None:
                        files[here / name] = (len(data), hashlib.sha256(data).hexdigest())
        return cls(copy=copy, files=files, dirs=frozenset(dirs))

    @staticmethod
    def _read(path: Path) -> bytes | None:
        try:
            return read_regular(path, MAX_READ_BYTES)
        except SampleFileError:
            return None

    def read(self, path: Path) -> bytes | None:
        """The bytes of the app's file ``path`` (under UPLOAD_ROOT); None when absent."""
        if path not in self.files:
            return None
        return self._read(self.copy / path.relative_to(UPLOAD_ROOT))

    def with_content(self, root: Path, content: bytes) -> list[Path]:
        """Files under ``root`` whose bytes are exactly ``content``."""
        digest = (len(content), hashlib.sha256(content).hexdigest())
        return sorted(p for p, seen in self.files.items() if seen == digest and inside(p, root))

    def named(self, name: str) -> list[Path]:
        """Files and folders called ``name``, anywhere in the tree."""
        return sorted(p for p in (*self.files, *self.dirs) if p.name == name)


def changed_between(
    before: Tree, after: Tree, ignore: Iterable[str] = DEFAULT_IGNORE
) -> list[Path]:
    """Files new or modified (by content) and folders new in ``after``."""
    patterns = tuple(ignore)
    changed = [p for p, seen in after.files.items() if before.files.get(p) != seen]
    changed += [p for p in after.dirs - before.dirs]
    return sorted(p for p in changed if not any(fnmatch(str(p), pat) for pat in patterns))


def escaped_upload_dir(before: Tree, after: Tree, upload_dir: Path) -> list[Path]:
    """What changed outside ``upload_dir`` (its own parents being created aside)."""
    return [
        p
        for p in changed_between(before, after)
        if not inside(p, upload_dir) and not inside(upload_dir, p)
    ]


@pytest.fixture
def watched_tree(data_snapshot: Callable[[], Path]) -> Callable[[], Tree]:
    """A callable: the watched tree as it is now (a fresh copy each call)."""
    return lambda: Tree.of(data_snapshot())


@pytest.fixture(scope="session")
def upload_root() -> Path:
    """The tree holding UPLOAD_DIR (three levels up), which the checks watch."""
    return UPLOAD_ROOT


@pytest.fixture(scope="session")
def upload_dir(upload_root: Path) -> Path:
    """The directory the app was told to store uploads in (`UPLOAD_DIR`)."""
    return UPLOAD_DIR


@pytest.fixture
def secret_file(client: Any, watched_tree: Callable[[], Tree]) -> Path:
    """A file outside UPLOAD_DIR that no request may change (laid out by the shim)."""
    if watched_tree().read(SECRET_FILE) is None:
        problem = ""
        response = client.get(SHIM_ERROR_PATH)
        if response.status_code == 200:
            try:
                problem = str(response.json().get("error") or "")
            except (ValueError, AttributeError):
                problem = ""
        pytest.fail(
            f"set-up: {SECRET_FILE} is missing or not a regular file before the test ran"
            + (f" ({problem})" if problem else "")
        )
    return SECRET_FILE
