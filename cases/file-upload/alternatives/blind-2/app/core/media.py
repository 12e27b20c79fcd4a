"""File type detection from content and client file-name sanitising."""

from dataclasses import dataclass

from app.core.errors import InvalidFilenameError, UnsupportedMediaTypeError


@dataclass(frozen=True)
class MediaType:
    mime: str
    magic: bytes
    extension: str


MEDIA_TYPES: tuple[MediaType, ...] = (
    MediaType("image/png", bytes.fromhex("89504E470D0A1A0A"), ".png"),
    MediaType("image/jpeg", bytes.fromhex("FFD8FF"), ".jpg"),
    MediaType("application/pdf", b"%PDF-", ".pdf"),
)
SNIFF_LENGTH = max(len(media.magic) for media in MEDIA_TYPES)


def sniff(head: bytes) -> MediaType | None:
    for media in MEDIA_TYPES:
        if head[: len(media.magic)] == media.magic:
            return media
    return None


def resolve_media_type(head: bytes, declared: str | None) -> MediaType:
    """The content decides the type; the declared type must agree with it."""
    media = sniff(head)
    if media is None:
        raise UnsupportedMediaTypeError(
            "Unsupported file type: only PNG, JPEG and PDF files are accepted"
        )
    declared_mime = (declared or "").partition(";")[0].strip().lower()
    if declared_mime != media.mime:
        raise UnsupportedMediaTypeError(
            f"Declared Content-Type {declared_mime or '(none)'!r} does not match "
            f"the file content ({media.mime})"
        )
    return media


def _is_control(char: str) -> bool:
    code = ord(char)
    return code <= 0x1F or code == 0x7F


def clean_filename(raw: str | None) -> str:
    """Last path component of the client's name, ``/`` and ``\\`` both separating."""
    name = raw or ""
    cut = max(name.rfind("/"), name.rfind("\\"))
    name = name[cut + 1 :]
    if name in {"", ".", ".."}:
        raise InvalidFilenameError("Invalid file name")
    if any(_is_control(char) for char in name):
        raise InvalidFilenameError("File name must not contain control characters")
    return name
