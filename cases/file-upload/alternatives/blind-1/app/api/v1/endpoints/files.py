from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, HTTPException, UploadFile, status
from fastapi.responses import FileResponse
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_db
from app.models.file import StoredFile
from app.schemas.file import ErrorResponse, FileMetadata
from app.services import files as file_service
from app.services import storage

router = APIRouter(prefix="/files", tags=["files"])

DbSession = Annotated[AsyncSession, Depends(get_db)]

_NOT_FOUND = {"model": ErrorResponse, "description": "Unknown file id"}


def _content_disposition(filename: str) -> str:
    """``attachment`` with the file name, safe for any Unicode name (RFC 6266)."""
    ascii_fallback = "".join(
        char if 0x20 <= ord(char) < 0x7F and char not in '"\\' else "_"
        for char in filename
    )
    value = f'attachment; filename="{ascii_fallback}"'
    if ascii_fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


async def _get_or_404(db: AsyncSession, file_id: str) -> StoredFile:
    record = await file_service.get_file(db, file_id)
    if record is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="File not found."
        )
    return record


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=FileMetadata,
    summary="Upload a PNG, JPEG or PDF file (max 1 MiB)",
    responses={
        status.HTTP_413_CONTENT_TOO_LARGE: {
            "model": ErrorResponse,
            "description": "File larger than 1 MiB",
        },
        status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: {
            "model": ErrorResponse,
            "description": "Not PNG/JPEG/PDF, or declared type disagrees with content",
        },
    },
)
async def upload_file(
    db: DbSession,
    file: Annotated[UploadFile, File(description="The file to upload")],
) -> FileMetadata:
    try:
        record = await file_service.save_upload(db, file)
    except file_service.UploadRejectedError as exc:
        raise HTTPException(status_code=exc.status_code, detail=exc.detail) from None
    finally:
        await file.close()
    return FileMetadata.model_validate(record)


@router.get(
    "/{file_id}",
    response_model=FileMetadata,
    summary="Get a file's metadata",
    responses={status.HTTP_404_NOT_FOUND: _NOT_FOUND},
)
async def get_file_metadata(file_id: str, db: DbSession) -> FileMetadata:
    return FileMetadata.model_validate(await _get_or_404(db, file_id))


@router.get(
    "/{file_id}/content",
    response_class=FileResponse,
    summary="Download a file's content",
    responses={
        status.HTTP_200_OK: {
            "content": {
                "image/png": {},
                "image/jpeg": {},
                "application/pdf": {},
            },
            "description": "The file's exact bytes",
        },
        status.HTTP_404_NOT_FOUND: _NOT_FOUND,
    },
)
async def download_file(file_id: str, db: DbSession) -> FileResponse:
    record = await _get_or_404(db, file_id)
    path = storage.path_for(record.storage_name)
    if not path.is_file():
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="File not found."
        )
    return FileResponse(
        path,
        media_type=record.content_type,
        headers={
            "Content-Disposition": _content_disposition(record.filename),
            "X-Content-Type-Options": "nosniff",
        },
    )
