"""Harness-owned set-up for the `file-upload` suite.

Under the harness, `UPLOAD_DIR` comes from this case's `[env]` table, so it is in place
before the import check first imports the app. Run by hand (no `UPLOAD_DIR` set), this
conftest points it at a fresh temporary tree instead, early enough because the `app`
fixture imports the app lazily.

Either way the upload directory sits three levels below the watched tree's root
(`<root>/data/uploads/store`, with `<root>` named `srv`), so a file that escapes it
through up to three `../` lands inside the tree, where the snapshot checks see it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_OWN_TREE: Path | None = None
if not os.environ.get("UPLOAD_DIR"):
    _OWN_TREE = Path(tempfile.mkdtemp(prefix="evals-upload-")).resolve()
    os.environ["UPLOAD_DIR"] = str(_OWN_TREE / "srv" / "data" / "uploads" / "store")

UPLOAD_DIR = Path(os.environ["UPLOAD_DIR"]).resolve()
UPLOAD_ROOT = UPLOAD_DIR.parents[2]
UPLOAD_DIR.parent.mkdir(parents=True, exist_ok=True)
SECRET_FILE = UPLOAD_ROOT / "data" / "secret.txt"
SECRET_FILE.write_text("must never be served or replaced\n")


@pytest.fixture(scope="session")
def upload_root() -> Iterator[Path]:
    """The tree holding UPLOAD_DIR (three levels up); a private one is removed at the end."""
    yield UPLOAD_ROOT
    if _OWN_TREE is not None:
        shutil.rmtree(_OWN_TREE, ignore_errors=True)


@pytest.fixture(scope="session")
def upload_dir(upload_root: Path) -> Path:
    """The directory the app was told to store uploads in (`UPLOAD_DIR`)."""
    return UPLOAD_DIR


@pytest.fixture(scope="session")
def secret_file(upload_root: Path) -> Path:
    """A file outside UPLOAD_DIR that no request may change."""
    return SECRET_FILE
