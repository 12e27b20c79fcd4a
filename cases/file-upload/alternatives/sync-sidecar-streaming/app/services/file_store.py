"""Files on disk, metadata in a JSON sidecar next to each one.

Layout inside UPLOAD_DIR: ``<id>.bin`` (the bytes as uploaded) and ``<id>.json``
(the metadata). ``<id>`` is a random UUID; the client's file name is only ever stored
as data. Uploads are streamed to a hidden ``.<id>.part`` file and renamed into place
once every check has passed, so a refused upload leaves nothing behind.
"""

import hashlib
import json
import os
import re
import uuid
from pathlib import Path
from typing import Any, BinaryIO

CHUNK = 64 * 1024
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)
_ID = re.compile(r"^[0-9a-f]{32}$")


class UploadRejected(Exception):
    def __init__(self, status_code: int, detail: str) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail


def display_name(raw: str | None) -> str:
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if name in ("", ".", "..") or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name):
        raise UploadRejected(422, "Unusable file name")
    return name


def sniff(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


class FileStore:
    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def ensure_root(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)

    def _paths(self, file_id: str) -> tuple[Path, Path] | None:
        if not _ID.match(file_id):
            return None
        return self.root / f"{file_id}.bin", self.root / f"{file_id}.json"

    def put(
        self, source: BinaryIO, raw_name: str | None, declared: str | None
    ) -> dict[str, Any]:
        name = display_name(raw_name)
        self.ensure_root()
        file_id = uuid.uuid4().hex
        part = self.root / f".{file_id}.part"
        digest = hashlib.sha256()
        size = 0
        kind: str | None = None
        try:
            with part.open("xb") as out:
                while chunk := source.read(CHUNK):
                    if kind is None:
                        kind = sniff(chunk)
                        wanted = (declared or "").split(";")[0].strip().lower()
                        if kind is None or wanted != kind:
                            raise UploadRejected(
                                415, "Only PNG, JPEG or PDF are accepted"
                            )
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise UploadRejected(413, "File exceeds 1 MiB")
                    digest.update(chunk)
                    out.write(chunk)
            if kind is None:
                raise UploadRejected(415, "Only PNG, JPEG or PDF are accepted")
            data_path = self.root / f"{file_id}.bin"
            meta_path = self.root / f"{file_id}.json"
            meta = {
                "id": file_id,
                "filename": name,
                "content_type": kind,
                "size": size,
                "sha256": digest.hexdigest(),
            }
            os.replace(part, data_path)
            meta_path.write_text(json.dumps(meta))
            return meta
        finally:
            part.unlink(missing_ok=True)

    def meta(self, file_id: str) -> dict[str, Any] | None:
        paths = self._paths(file_id)
        if paths is None or not paths[1].is_file():
            return None
        return json.loads(paths[1].read_text())

    def data_path(self, file_id: str) -> Path | None:
        paths = self._paths(file_id)
        return paths[0] if paths is not None and paths[0].is_file() else None
