"""hypothesis's Unicode tables, built once per machine by the harness, not in every sandbox.

The generated requests (``api_fuzz``: schemathesis, on hypothesis) need a table of every code
point's category. hypothesis builds it (about 2 s of CPU) and caches it in its storage
folder, but a sandbox's storage is new each time: every warm judge worker paid those seconds
at start-up (half of a worker pair's start), and every fresh judge that fuzzed paid them per
sample. The harness builds the tables once, with the interpreter the sandboxes run (so the
same Unicode data and the same hypothesis), keeps them under ``.cache/``, and copies them
read-only into each sandbox that needs them; :data:`STORAGE_ENV` points hypothesis there.

Built outside every sandbox, by the harness's own process: no sample can write a table
another sample reads. Any failure leaves hypothesis to build the tables itself, as before:
slower, never different.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from importlib import metadata
from pathlib import Path

from evals.config import ROOT

STORAGE_ENV = "HYPOTHESIS_STORAGE_DIRECTORY"
"""hypothesis's own setting for its storage folder (read on its first use of the folder)."""
FOLDER = "hypothesis"
"""The tables' folder inside a sandbox's read-only runtime folder."""
CACHE = ROOT / ".cache" / "unicode-tables"

_BUILD = """
from hypothesis.internal.charmap import charmap, intervals_from_codec
charmap()
intervals_from_codec("utf-8")
"""
_LOCK = threading.Lock()
_BUILT: dict[str, Path | None] = {}


def tables(python: str = sys.executable) -> Path | None:
    """The storage folder holding the tables for ``python``, built on first use; None when
    they cannot be built or kept (hypothesis then builds them in the sandbox)."""
    with _LOCK:
        if python not in _BUILT:
            _BUILT[python] = _cached(python)
        return _BUILT[python]


def install(into: Path, python: str = sys.executable) -> Path | None:
    """Copy the tables to ``into``/:data:`FOLDER`, readable by a sandbox's dropped user;
    returns that folder, or None when there are no tables to copy."""
    source = tables(python)
    if source is None:
        return None
    target = into / FOLDER
    shutil.copytree(source, target, dirs_exist_ok=True)
    for folder, _, files in os.walk(target):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    return target


def _cached(python: str) -> Path | None:
    try:
        version = metadata.version("hypothesis")
    except metadata.PackageNotFoundError:
        return None
    # The interpreter fixes the Unicode data (keyed by its path and the harness's version,
    # which is the same interpreter unless a caller says otherwise); hypothesis, the format.
    where = hashlib.sha256(os.path.realpath(python).encode()).hexdigest()[:12]
    py = ".".join(map(str, sys.version_info[:3]))
    folder = CACHE / f"py{py}-{where}-hypothesis-{version}"
    if (folder / "unicode_data").is_dir():
        return folder
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".building-", dir=CACHE))
    except OSError:
        return None
    try:
        env = {**os.environ, STORAGE_ENV: str(scratch)}
        proc = subprocess.run(
            [python, "-P", "-c", _BUILD], env=env, capture_output=True, timeout=120, check=False
        )
        if proc.returncode != 0 or not (scratch / "unicode_data").is_dir():
            return None
        shutil.rmtree(scratch / "tmp", ignore_errors=True)
        # Another process may have kept its own first: the same tables, so either will do.
        with contextlib.suppress(OSError):
            scratch.rename(folder)
        return folder if (folder / "unicode_data").is_dir() else None
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
