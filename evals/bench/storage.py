"""SQLite commit latency where fresh mode keeps a sample's database and where warm mode does."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

TMPFS_CANDIDATES = ("/dev/shm", "/run")


def commit_latency_ms(commits: int = 50) -> tuple[float, float]:
    """(ms per commit on the scratch disk, ms per commit on a tmpfs; NaN if none found)."""
    disk = _latency(Path(tempfile.gettempdir()), commits)
    tmpfs = next(
        (v for d in TMPFS_CANDIDATES if (v := _latency(Path(d), commits)) == v), float("nan")
    )
    return disk, tmpfs


def _latency(where: Path, commits: int) -> float:
    try:
        folder = Path(tempfile.mkdtemp(prefix="evals-bench-sqlite-", dir=where))
    except OSError:
        return float("nan")
    try:
        with contextlib.closing(sqlite3.connect(folder / "probe.db")) as conn:
            conn.execute("CREATE TABLE t (x INTEGER)")
            conn.commit()
            start = time.monotonic()
            for i in range(commits):
                conn.execute("INSERT INTO t VALUES (?)", (i,))
                conn.commit()
            return (time.monotonic() - start) * 1000 / commits
    except sqlite3.Error:
        return float("nan")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
