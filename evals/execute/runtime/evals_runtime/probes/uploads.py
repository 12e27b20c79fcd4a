"""Upload probes: hostile file names, sample files of each type, and a file-system snapshot
that proves an upload wrote nothing outside the directory it was meant for.

The stored name of an upload must never follow the client's file name: ``../../evil.png``
climbs out of the upload directory, ``/tmp/evil.png`` replaces it outright when joined with
``pathlib`` (``Path(root) / "/tmp/x"`` is ``/tmp/x``), ``a/b/c.png`` creates directories,
and a NUL byte makes ``open()`` raise (a 500). The probes here generate such names, send
them byte-exact (httpx percent-escapes NUL and quotes in file names; :func:`raw_multipart`
does not) and compare snapshots of the directories the app could reach.

Typical use in a hidden test::

    from evals_runtime.probes.uploads import (
        assert_no_files_outside, snapshot, traversal_filenames,
    )

    def test_traversal(client, upload_dir, upload_root):
        before = snapshot(upload_root, Path.cwd())
        for name in traversal_filenames("evil.png", absolute_dir=upload_root):
            client.post("/api/v1/files", files={"file": (name, PNG, "image/png")})
        assert_no_files_outside(upload_dir, before)
"""

from __future__ import annotations

import os
import secrets
import struct
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

__all__ = [
    "DEFAULT_IGNORE",
    "JPEG_MAGIC",
    "PDF_MAGIC",
    "PNG_MAGIC",
    "Snapshot",
    "assert_no_files_outside",
    "changed_since",
    "find_files_with_content",
    "padded",
    "raw_multipart",
    "sample_jpeg",
    "sample_pdf",
    "sample_png",
    "snapshot",
    "traversal_filenames",
]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
PDF_MAGIC = b"%PDF-"

# Noise the app and the test process legitimately produce outside an upload directory.
DEFAULT_IGNORE: tuple[str, ...] = (
    "*/__pycache__/*",
    "*/__pycache__",
    "*.pyc",
    "*.db",
    "*.db-journal",
    "*.db-wal",
    "*.db-shm",
    "*.sqlite",
    "*.sqlite3",
    "*.sqlite-journal",
    "*/.pytest_cache/*",
    "*/.pytest_cache",
    "*/.ruff_cache/*",
    "*/.ruff_cache",
)


# --- sample files ---------------------------------------------------------------------------


def sample_png(marker: bytes = b"") -> bytes:
    """A valid 1x1 PNG; ``marker`` goes into a ``tEXt`` chunk so each test's file is unique."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    text = chunk(b"tEXt", b"Comment\x00" + marker) if marker else b""
    return PNG_MAGIC + chunk(b"IHDR", ihdr) + text + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def sample_jpeg(marker: bytes = b"") -> bytes:
    """Bytes that start and end like a JPEG (SOI + JFIF APP0 + a comment + EOI)."""
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    comment = marker or b"evals"
    com = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return b"\xff\xd8" + app0 + com + b"\xff\xd9"


def sample_pdf(marker: bytes = b"") -> bytes:
    """A minimal one-page PDF; ``marker`` goes into a comment line."""
    note = b"% " + (marker or b"evals") + b"\n"
    return (
        b"%PDF-1.4\n" + note + b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def padded(content: bytes, size: int, fill: bytes = b"\x00") -> bytes:
    """``content`` padded with ``fill`` to exactly ``size`` bytes (magic bytes unchanged)."""
    if len(content) > size:
        raise ValueError(f"content is already {len(content)} bytes, more than {size}")
    return content + fill * (size - len(content))


# --- hostile names --------------------------------------------------------------------------


def traversal_filenames(
    name: str = "evil.png", *, absolute_dir: str | Path | None = None
) -> list[str]:
    """Client file names that must not decide where an upload lands.

    Relative climbs with ``/`` and ``\\``, mixed and doubled separators, a climb hidden
    behind a real directory name, nested directories, and (when ``absolute_dir`` is given)
    an absolute path into that directory. Each name ends in ``name``, so a file that escaped
    can be found by it.
    """
    names = [
        f"../{name}",
        f"../../{name}",
        f"../../../{name}",
        f"./../{name}",
        f"sub/../../{name}",
        f"..\\..\\{name}",
        f"..\\/..\\/{name}",
        f"....//....//{name}",
        f"..//..//{name}",
        f"nested-{secrets.token_hex(3)}/dir/{name}",
    ]
    if absolute_dir is not None:
        names.append(str(Path(absolute_dir) / name))
    return names


def raw_multipart(
    filename: str | bytes,
    content: bytes,
    content_type: str = "application/octet-stream",
    *,
    field_name: str = "file",
    fields: Mapping[str, str] | None = None,
) -> tuple[bytes, dict[str, str]]:
    """A multipart/form-data body with ``filename`` sent byte-exact (NUL, backslashes and
    quotes unescaped, as a hostile client would). Returns ``(body, headers)`` for
    ``client.post(url, content=body, headers=headers)``."""
    boundary = "evals-" + secrets.token_hex(12)
    raw_name = filename if isinstance(filename, bytes) else filename.encode("utf-8")
    parts: list[bytes] = []
    for key, value in (fields or {}).items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; '.encode()
        + b'filename="'
        + raw_name
        + b'"\r\n'
        + f"Content-Type: {content_type}\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


# --- file-system snapshots ------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What existed under ``roots`` at one moment: every file's ``(size, mtime_ns)`` and every
    directory, by absolute path."""

    roots: tuple[Path, ...]
    files: Mapping[str, tuple[int, int]]
    dirs: frozenset[str]
    ignore: tuple[str, ...] = field(default=DEFAULT_IGNORE)


def _ignored(path: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch(path, pattern) for pattern in patterns)


def snapshot(*roots: str | Path, ignore: Iterable[str] = DEFAULT_IGNORE) -> Snapshot:
    """Record every file and directory under ``roots`` (symlinks are not followed)."""
    patterns = tuple(ignore)
    resolved = tuple(Path(root).resolve() for root in roots)
    files: dict[str, tuple[int, int]] = {}
    dirs: set[str] = set()
    for root in resolved:
        if not root.exists():
            continue
        for current, dirnames, filenames in os.walk(root, followlinks=False):
            if not _ignored(current, patterns):
                dirs.add(current)
            for dirname in dirnames:
                path = os.path.join(current, dirname)
                if os.path.islink(path) and not _ignored(path, patterns):
                    files[path] = (0, 0)
            for filename in filenames:
                path = os.path.join(current, filename)
                if _ignored(path, patterns):
                    continue
                try:
                    stat = os.lstat(path)
                except OSError:
                    continue
                files[path] = (stat.st_size, stat.st_mtime_ns)
    return Snapshot(roots=resolved, files=files, dirs=frozenset(dirs), ignore=patterns)


def changed_since(before: Snapshot) -> list[Path]:
    """Files and directories under ``before.roots`` that are new or were modified since."""
    after = snapshot(*before.roots, ignore=before.ignore)
    changed = [Path(path) for path, stat in after.files.items() if before.files.get(path) != stat]
    changed += [Path(path) for path in after.dirs - before.dirs]
    return sorted(changed)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def assert_no_files_outside(
    root: str | Path, before: Snapshot, *, allow: Iterable[str | Path] = ()
) -> None:
    """Nothing under the snapshot's roots was created or modified since ``before``, except
    inside ``root`` (the upload directory) and the ``allow``-ed paths."""
    base = Path(root).resolve()
    allowed = [Path(p).resolve() for p in allow]
    escaped = [
        path
        for path in changed_since(before)
        if not _inside(path, base)
        and not any(_inside(path, a) for a in allowed)
        and not _inside(base, path)  # the upload directory's own parents being created
    ]
    if escaped:
        shown = ", ".join(str(p) for p in escaped[:10])
        raise AssertionError(
            f"the upload wrote outside the upload directory {base}: {shown}. The stored name "
            "must be generated by the server (e.g. a UUID), never derived from the client's "
            "file name, and the final path must be checked to lie inside the directory."
        )


def find_files_with_content(root: str | Path, content: bytes) -> list[Path]:
    """Files under ``root`` whose bytes are exactly ``content``."""
    base = Path(root)
    if not base.exists():
        return []
    found: list[Path] = []
    for path in base.rglob("*"):
        if path.is_file() and not path.is_symlink():
            try:
                if path.stat().st_size == len(content) and path.read_bytes() == content:
                    found.append(path)
            except OSError:
                continue
    return found
