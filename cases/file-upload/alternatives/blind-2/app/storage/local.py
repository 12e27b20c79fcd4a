"""Blob storage in UPLOAD_DIR.

Uploads are streamed into a temporary file inside UPLOAD_DIR (same file
system, so the final rename is atomic) while their size and SHA-256 are
computed. Only a fully validated upload is renamed to its final,
server-generated name; anything else is deleted.
"""

import hashlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO


class BlobTooLargeError(Exception):
    pass


@dataclass
class StagedBlob:
    temp_path: Path
    size: int = 0
    head: bytes = b""
    _sha256: "hashlib._Hash" = field(default_factory=hashlib.sha256)

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    def discard(self) -> None:
        self.temp_path.unlink(missing_ok=True)


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def ensure_root(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)

    def path_of(self, blob_name: str) -> Path:
        return self.root / blob_name

    def stage(
        self, source: BinaryIO, *, max_size: int, head_size: int, chunk_size: int
    ) -> StagedBlob:
        """Copy ``source`` to a temporary file; refuse more than ``max_size`` bytes."""
        self.ensure_root()
        staged = StagedBlob(self.root / f".incoming-{secrets.token_hex(16)}")
        try:
            with open(staged.temp_path, "xb") as out:
                while chunk := source.read(chunk_size):
                    staged.size += len(chunk)
                    if staged.size > max_size:
                        raise BlobTooLargeError
                    if len(staged.head) < head_size:
                        staged.head += chunk[: head_size - len(staged.head)]
                    staged._sha256.update(chunk)
                    out.write(chunk)
        except BaseException:
            staged.discard()
            raise
        return staged

    def commit(self, staged: StagedBlob, blob_name: str) -> Path:
        final = self.path_of(blob_name)
        os.replace(staged.temp_path, final)
        return final

    def delete(self, blob_name: str) -> None:
        self.path_of(blob_name).unlink(missing_ok=True)
