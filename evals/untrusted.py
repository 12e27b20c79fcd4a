"""Reading and writing files that generated code or the agent could have made.

Everything under a sample's workspace and its grading ``out/`` folder is sample-controlled:
a name the harness expects to be a file may be a symlink to a root-only host file, a FIFO
that blocks whoever opens it, a device, or a file of many gigabytes. The harness runs as
root, so an ordinary ``open`` would follow the link (and leak the target into grades and
reports) or block for ever. Every host-side access goes through here instead:

- reads open with ``O_NOFOLLOW | O_NONBLOCK`` (each folder on the way too, from a trusted
  root), accept regular files only (``fstat``) and stop at a size cap;
- writes open with the same flags, so a planted FIFO or link is refused, not followed;
- :func:`sanitize_tree` turns an agent's live workspace into a tree of regular files and
  folders owned by the harness, once the agent is done, so that every grader and the report
  read one sanitized copy and never the workspace as the agent's Bash left it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

DEFAULT_MAX_BYTES = 5_000_000
_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
_DIR = os.O_RDONLY | os.O_NOFOLLOW | os.O_DIRECTORY | os.O_CLOEXEC


class UnsafeFileError(OSError):
    """The path is not a regular file reached without links, or is over its size cap."""


@contextlib.contextmanager
def _parent_fd(root: Path | None, rel: PurePosixPath) -> Iterator[int | None]:
    """A descriptor of ``rel``'s folder, reached from ``root`` one real folder at a time."""
    if root is None:
        yield None
        return
    fd = os.open(root, _DIR)
    try:
        for part in rel.parts[:-1]:
            if part in ("", ".", ".."):
                raise UnsafeFileError(f"{rel}: not a plain relative path")
            child = os.open(part, _DIR, dir_fd=fd)
            os.close(fd)
            fd = child
        yield fd
    finally:
        os.close(fd)


def read_bytes(
    path: Path, *, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> bytes:
    """The bytes of a regular file, never following a link or blocking on a pipe.

    With ``root``, ``path`` is relative to it and no folder on the way may be a link either.
    Raises :class:`UnsafeFileError` (an ``OSError``) for anything else, or when the file holds
    more than ``max_bytes``.
    """
    rel = PurePosixPath(path) if root is not None else PurePosixPath(Path(path).name)
    with _parent_fd(root, rel) as dir_fd:
        target = rel.name if dir_fd is not None else str(path)
        try:
            fd = os.open(target, _READ, dir_fd=dir_fd)
        except OSError as exc:
            if exc.errno == 40:  # ELOOP: the last component is a symlink
                raise UnsafeFileError(f"{path}: is a symbolic link") from None
            raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFileError(f"{path}: not a regular file")
        if info.st_size > max_bytes:
            raise UnsafeFileError(f"{path}: {info.st_size} bytes, over the {max_bytes} cap")
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # it grew while being read
                raise UnsafeFileError(f"{path}: over the {max_bytes}-byte cap")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path, *, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """:func:`read_bytes` decoded as UTF-8, undecodable bytes replaced."""
    return read_bytes(path, root=root, max_bytes=max_bytes).decode("utf-8", errors="replace")


def read_or_none(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | None:
    """:func:`read_bytes`, or None when the file is missing or not safe to read."""
    try:
        return read_bytes(path, max_bytes=max_bytes)
    except OSError:
        return None


def write_bytes(path: Path, data: bytes) -> None:
    """Create or replace a regular file's content; a link, FIFO or device there is refused."""
    try:
        fd = os.open(path, _WRITE, 0o644)
    except OSError as exc:
        if exc.errno in (40, 6):  # ELOOP (a link), ENXIO (a FIFO nobody reads)
            raise UnsafeFileError(f"{path}: not a regular file") from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnsafeFileError(f"{path}: not a regular file")
        os.ftruncate(fd, 0)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


@dataclass
class Sanitized:
    """What :func:`sanitize_tree` removed or rewrote, relative paths with the reason."""

    dropped: dict[str, str] = field(default_factory=dict)


def sanitize_tree(root: Path) -> Sanitized:
    """Leave only regular files and folders under ``root``, owned by the harness.

    Symlinks, FIFOs, sockets and devices are removed; a file with other hard links gets an
    inode of its own (so no write through it reaches another path); set-id and execute bits
    go, and, when the harness is root, ownership returns to root, so a uid leased later to
    another sandbox cannot change a finished sample's files. Never follows a link.
    """
    report = Sanitized()
    if not root.is_dir() or root.is_symlink():
        return report
    as_root = os.geteuid() == 0
    _own(root, as_root, folder=True)
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            rel = path.relative_to(root).as_posix()
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                _own(path, as_root, folder=True)
                stack.append(path)
            elif stat.S_ISREG(info.st_mode):
                if info.st_nlink > 1:
                    _unshare_inode(path)
                    report.dropped[rel] = "hard link replaced by a copy"
                _own(path, as_root, folder=False)
            else:
                kind = _kind(info.st_mode)
                with contextlib.suppress(OSError):
                    path.unlink()
                report.dropped[rel] = f"{kind} removed"
    return report


def _unshare_inode(path: Path) -> None:
    data = read_bytes(path, max_bytes=1 << 31)
    tmp = path.with_name(path.name + ".evals-copy")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    write_bytes(tmp, data)
    os.replace(tmp, path)


def _own(path: Path, as_root: bool, *, folder: bool) -> None:
    with contextlib.suppress(OSError):
        if as_root:
            os.lchown(path, 0, 0)
        os.chmod(path, 0o755 if folder else 0o644)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "symbolic link"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device or special file"
