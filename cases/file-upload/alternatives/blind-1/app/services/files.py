"""Upload validation and persistence."""

import hashlib

from fastapi import UploadFile
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from app.core.config import MAX_UPLOAD_BYTES
from app.core.file_validation import (
    InvalidFilenameError,
    detect_content_type,
    normalize_declared_type,
    reduce_filename,
)
from app.models.file import StoredFile
from app.services import storage


class UploadRejectedError(Exception):
    def __init__(self, status_code: int, detail: str) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail


async def read_limited(upload: UploadFile, limit: int) -> bytes:
    """Read at most ``limit`` bytes; reject anything longer with 413."""
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise UploadRejectedError(
            413, f"File too large: the limit is {limit} bytes."
        )
    return data


async def save_upload(db: AsyncSession, upload: UploadFile) -> StoredFile:
    data = await read_limited(upload, MAX_UPLOAD_BYTES)

    detected = detect_content_type(data[:8])
    if detected is None:
        raise UploadRejectedError(
            415, "Unsupported file type: only PNG, JPEG and PDF are accepted."
        )
    declared = normalize_declared_type(upload.content_type)
    if declared != detected:
        raise UploadRejectedError(
            415,
            f"Declared content type does not match the file content ({detected}).",
        )

    try:
        filename = reduce_filename(upload.filename)
    except InvalidFilenameError as exc:
        raise UploadRejectedError(422, str(exc)) from None

    file_id = storage.new_storage_name()
    record = StoredFile(
        id=file_id,
        storage_name=file_id,
        filename=filename,
        content_type=detected,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    await run_in_threadpool(storage.write_file, record.storage_name, data)
    db.add(record)
    try:
        await db.commit()
    except BaseException:
        await db.rollback()
        storage.delete_file(record.storage_name)
        raise
    return record


async def get_file(db: AsyncSession, file_id: str) -> StoredFile | None:
    return await db.get(StoredFile, file_id)
