from typing import Annotated

from fastapi import APIRouter, File, HTTPException, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from app.api.v1.dependencies import AppSettings, DbSession
from app.models.stored_file import StoredFile
from app.schemas.file import FileMetadata
from app.services import storage

router = APIRouter(prefix="/files", tags=["files"])

_NOT_FOUND = {404: {"description": "No file with this id"}}
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_DOWNLOAD = {
    200: {
        "description": "The file's bytes, sent as an attachment",
        "content": {media_type: _BINARY for media_type in storage.ALLOWED_TYPES},
    }
}


async def _get_or_404(db: DbSession, file_id: str) -> StoredFile:
    record = await db.get(StoredFile, file_id)
    if record is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="File not found"
        )
    return record


@router.post(
    "",
    response_model=FileMetadata,
    status_code=status.HTTP_201_CREATED,
    summary="Upload a PNG, JPEG or PDF file (max 1 MiB)",
    responses={
        413: {"description": "The file is larger than 1 MiB"},
        415: {"description": "Not a PNG, JPEG or PDF, or content and type disagree"},
        422: {"description": "Missing file or invalid file name"},
    },
)
async def upload_file(
    file: Annotated[UploadFile, File(description="The file to upload")],
    db: DbSession,
    settings: AppSettings,
) -> StoredFile:
    try:
        filename = storage.client_file_name(file.filename)
    except storage.InvalidFileName as exc:
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)
        ) from None

    limit = settings.max_upload_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise HTTPException(
            status_code=status.HTTP_413_CONTENT_TOO_LARGE,
            detail=f"File larger than {limit} bytes",
        )

    detected = storage.detect_type(content)
    if detected is None or storage.declared_type(file.content_type) != detected:
        raise HTTPException(
            status_code=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            detail="Only PNG, JPEG and PDF files are accepted",
        )

    saved = await run_in_threadpool(
        storage.save, settings.upload_dir, content, filename
    )
    record = StoredFile(
        id=saved.id,
        filename=filename,
        content_type=detected,
        size=len(content),
        sha256=saved.sha256,
        storage_name=saved.storage_name,
    )
    db.add(record)
    await db.commit()
    return record


@router.get(
    "/{file_id}",
    response_model=FileMetadata,
    summary="Get an uploaded file's metadata",
    responses=_NOT_FOUND,
)
async def get_file_metadata(file_id: str, db: DbSession) -> StoredFile:
    return await _get_or_404(db, file_id)


@router.get(
    "/{file_id}/content",
    response_class=FileResponse,
    summary="Download an uploaded file",
    responses={**_DOWNLOAD, **_NOT_FOUND},
)
async def download_file(
    file_id: str, db: DbSession, settings: AppSettings
) -> FileResponse:
    record = await _get_or_404(db, file_id)
    return FileResponse(
        storage.path_of(settings.upload_dir, record.storage_name),
        media_type=record.content_type,
        filename=record.filename,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff"},
    )
