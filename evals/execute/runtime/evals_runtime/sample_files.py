"""What the judge reads of the sample besides HTTP: its database and its source, as data.

The source is the workspace as the agent left it, copied by the harness and mounted
read-only; the app's data folder reaches the judge as copies the harness makes on request
(regular files only). The judge never imports or executes any of it, and still opens every
file with ``O_NOFOLLOW | O_NONBLOCK``, checks it is a regular file and caps its size. SQLite
opens a private copy of the database, never a file the app shares (it maps ``-shm`` files:
memory shared with the app).
"""

from __future__ import annotations

import ast
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_DB_BYTES = 256 * 1024 * 1024
MAX_SOURCE_BYTES = 1_000_000
_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY


class SampleFileError(OSError):
    """A sample's file that is not a regular file, or is too large, where one was expected."""


def read_regular(path: Path, max_bytes: int) -> bytes | None:
    """The bytes of a regular file; None when it does not exist; raises for anything else."""
    try:
        fd = os.open(path, _READ)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SampleFileError(f"{path.name}: cannot be opened safely ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SampleFileError(f"{path.name}: not a regular file")
        if info.st_size > max_bytes:
            raise SampleFileError(f"{path.name}: {info.st_size} bytes, over {max_bytes}")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class SnapshotDB:
    """A read-only view of the app's SQLite database (``execute`` as on a connection).

    Each ``execute`` reads the database as it is at that moment: the harness copies the
    app's data folder (``snapshot()``, see :class:`evals_runtime.app_link.AppLink`) and the
    copy is copied once more into the judge's own temporary folder, where SQLite may apply
    the write-ahead log to it.
    """

    SUFFIXES = ("", "-wal", "-journal")

    def __init__(self, name: str, snapshot: Callable[[], Path]) -> None:
        self.name = name
        self._snapshot = snapshot
        self._dir = Path(tempfile.mkdtemp(prefix="evals-db-"))
        self._conn: sqlite3.Connection | None = None

    def connection(self) -> sqlite3.Connection:
        self.close()
        source = self._snapshot() / self.name
        copy = self._dir / Path(self.name).name
        for suffix in self.SUFFIXES:
            target = Path(f"{copy}{suffix}")
            target.unlink(missing_ok=True)
            data = read_regular(Path(f"{source}{suffix}"), MAX_DB_BYTES)
            if data is not None:
                target.write_bytes(data)
        if not copy.exists():
            raise SampleFileError(f"the app's database {self.name} does not exist")
        conn = sqlite3.connect(copy)
        conn.execute("PRAGMA query_only = 1")
        self._conn = conn
        return conn

    def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        return self.connection().execute(sql, parameters)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class Source:
    """The sample's Python source, read as text and parsed, never imported."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def python_files(self) -> list[str]:
        """Relative paths of the regular ``.py`` files (links are not followed)."""
        found: list[str] = []
        stack = [self.root]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith(".") or entry.name == "__pycache__":
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.name.endswith(".py") and entry.is_file(follow_symlinks=False):
                    found.append(Path(entry.path).relative_to(self.root).as_posix())
        return sorted(found)

    def path_of(self, module: str) -> str | None:
        """The file defining ``module`` (``a.b`` -> ``a/b.py`` or ``a/b/__init__.py``)."""
        base = module.replace(".", "/")
        files = set(self.python_files())
        for candidate in (f"{base}.py", f"{base}/__init__.py"):
            if candidate in files:
                return candidate
        return None

    def text(self, rel: str) -> str | None:
        data = read_regular(self.root / rel, MAX_SOURCE_BYTES)
        return None if data is None else data.decode("utf-8", errors="replace")

    def tree(self, module: str) -> ast.Module | None:
        """The parsed module, or None when it is missing or does not parse."""
        rel = self.path_of(module)
        if rel is None:
            return None
        try:
            text = self.text(rel)
            return None if text is None else ast.parse(text, filename=rel)
        except (SyntaxError, ValueError, RecursionError, MemoryError, SampleFileError):
            return None
