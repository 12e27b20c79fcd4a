from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request, UploadFile, status
from fastapi.responses import Response

from app.schemas.files import FileOut
from app.services.file_store import SIGNATURES, FileStore, UploadRejected

router = APIRouter(prefix="/files", tags=["files"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown file id"}}
DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The stored bytes, as an attachment",
        "content": {
            media_type: {"schema": {"type": "string", "format": "binary"}}
            for _, media_type in SIGNATURES
        },
    },
    **NOT_FOUND,
}


def get_store(request: Request) -> FileStore:
    return request.app.state.file_store


Store = Annotated[FileStore, Depends(get_store)]


def _not_found() -> HTTPException:
    return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="File not found")


@router.post(
    "",
    response_model=FileOut,
    status_code=status.HTTP_201_CREATED,
    summary="Upload a file",
    description="PNG, JPEG or PDF up to 1 MiB, sent as multipart field `file`.",
    responses={
        413: {"description": "Larger than 1 MiB"},
        415: {"description": "Not PNG, JPEG or PDF, or content and type disagree"},
        422: {"description": "No file part, or an unusable file name"},
    },
)
def upload(file: UploadFile, store: Store) -> dict[str, Any]:
    try:
        return store.put(file.file, file.filename, file.content_type)
    except UploadRejected as exc:
        raise HTTPException(status_code=exc.status_code, detail=exc.detail) from None


@router.get(
    "/{file_id}", response_model=FileOut, summary="File metadata", responses=NOT_FOUND
)
def metadata(file_id: str, store: Store) -> dict[str, Any]:
    meta = store.meta(file_id)
    if meta is None:
        raise _not_found()
    return meta


# Bytes, not JSON: response_class keeps OpenAPI from also advertising application/json.
@router.get(
    "/{file_id}/content",
    response_class=Response,
    summary="Download the file",
    responses=DOWNLOAD,
)
def content(file_id: str, store: Store) -> Response:
    meta = store.meta(file_id)
    path = store.data_path(file_id)
    if meta is None or path is None:
        raise _not_found()
    disposition = f"attachment; filename*=UTF-8''{quote(meta['filename'])}"
    return Response(
        content=path.read_bytes(),
        media_type=meta["content_type"],
        headers={
            "Content-Disposition": disposition,
            "X-Content-Type-Options": "nosniff",
        },
    )
