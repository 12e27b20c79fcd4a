"""Content sniffing and client file-name handling for uploads."""

import re

# Magic numbers, checked against the first bytes of the content.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)

ALLOWED_CONTENT_TYPES = frozenset(media_type for _, media_type in _SIGNATURES)

# C0 control characters and DEL.
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


class InvalidFilenameError(ValueError):
    pass


def detect_content_type(head: bytes) -> str | None:
    """Return the media type the content's leading bytes identify, if allowed."""
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    return None


def normalize_declared_type(declared: str | None) -> str | None:
    """``image/PNG; foo=bar`` -> ``image/png``; ``None`` if nothing was declared."""
    if not declared:
        return None
    return declared.split(";", 1)[0].strip().lower() or None


def reduce_filename(raw: str | None) -> str:
    """Keep only the last path component of the client's file name.

    Both ``/`` and ``\\`` count as separators, whatever the server's OS.
    """
    name = re.split(r"[/\\]", raw or "")[-1]
    if name in ("", ".", ".."):
        raise InvalidFilenameError("File name is empty or not a file name.")
    if _CONTROL_CHARS.search(name):
        raise InvalidFilenameError("File name contains control characters.")
    return name
