"""Upload validation and storage on disk.

Stored files are named by the server (a random hex id plus the extension of the detected
type) and written directly into UPLOAD_DIR: nothing the client sends ends up in a path.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

# Detected type -> (magic bytes, extension). The declared type must be one of these too.
ALLOWED_TYPES: dict[str, tuple[bytes, str]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n", ".png"),
    "image/jpeg": (b"\xff\xd8\xff", ".jpg"),
    "application/pdf": (b"%PDF-", ".pdf"),
}

_SEPARATORS = re.compile(r"[\\/]")


class InvalidFileName(ValueError):
    pass


def client_file_name(raw: str | None) -> str:
    """The client's name reduced to its last path component (``/`` and ``\\``)."""
    name = _SEPARATORS.split(raw or "")[-1].strip()
    if not name or name in {".", ".."}:
        raise InvalidFileName("Invalid file name")
    return name[:255]


def detect_type(content: bytes) -> str | None:
    for content_type, (magic, _) in ALLOWED_TYPES.items():
        if content.startswith(magic):
            return content_type
    return None


def declared_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


@dataclass(frozen=True)
class SavedFile:
    id: str
    storage_name: str
    sha256: str


def save(upload_dir: Path, content: bytes, content_type: str) -> SavedFile:
    """Write ``content`` under a fresh server-generated name inside ``upload_dir``."""
    file_id = secrets.token_hex(16)
    storage_name = file_id + ALLOWED_TYPES[content_type][1]
    target = (upload_dir / storage_name).resolve()
    if target.parent != upload_dir.resolve():  # defence in depth; cannot happen
        raise RuntimeError("refusing to write outside the upload directory")
    with target.open("xb") as handle:
        handle.write(content)
    return SavedFile(file_id, storage_name, hashlib.sha256(content).hexdigest())


def path_of(upload_dir: Path, storage_name: str) -> Path:
    return upload_dir / storage_name
