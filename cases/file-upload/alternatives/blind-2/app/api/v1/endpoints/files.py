import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Response, UploadFile

from app.api.deps import BlobStore, Repository
from app.core.errors import NotFoundError, PayloadTooLargeError
from app.core.media import SNIFF_LENGTH, clean_filename, resolve_media_type
from app.core.settings import CHUNK_SIZE, MAX_FILE_SIZE
from app.models.upload import Upload
from app.schemas.files import FileMetadata, Message
from app.storage.local import BlobTooLargeError

router = APIRouter(prefix="/files", tags=["files"])


def _load(repo: Repository, file_id: str) -> Upload:
    upload = repo.get(file_id)
    if upload is None:
        raise NotFoundError("File not found")
    return upload


def _attachment(filename: str) -> str:
    fallback = filename.encode("ascii", "replace").decode("ascii")
    fallback = fallback.replace("\\", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


@router.post(
    "",
    status_code=201,
    response_model=FileMetadata,
    summary="Upload a file",
    description=(
        "Multipart upload in the `file` field. PNG, JPEG or PDF only (detected "
        "from the content; the declared Content-Type must agree), at most 1 MiB."
    ),
    responses={
        413: {"model": Message, "description": "File larger than 1 MiB"},
        415: {"model": Message, "description": "Unsupported or mismatching type"},
    },
)
def upload_file(
    file: Annotated[UploadFile, File(description="PNG, JPEG or PDF, max 1 MiB")],
    repo: Repository,
    store: BlobStore,
) -> Upload:
    filename = clean_filename(file.filename)

    try:
        staged = store.stage(
            file.file,
            max_size=MAX_FILE_SIZE,
            head_size=SNIFF_LENGTH,
            chunk_size=CHUNK_SIZE,
        )
    except BlobTooLargeError:
        raise PayloadTooLargeError(
            f"File exceeds the maximum size of {MAX_FILE_SIZE} bytes"
        ) from None

    try:
        media = resolve_media_type(staged.head, file.content_type)
        upload_id = secrets.token_hex(16)
        upload = Upload(
            id=upload_id,
            filename=filename,
            content_type=media.mime,
            size=staged.size,
            sha256=staged.sha256,
            blob_name=f"{upload_id}{media.extension}",
        )
        store.commit(staged, upload.blob_name)
    except BaseException:
        staged.discard()
        raise

    try:
        return repo.add(upload)
    except BaseException:
        store.delete(upload.blob_name)
        raise


@router.get(
    "/{file_id}",
    response_model=FileMetadata,
    summary="Get file metadata",
    responses={404: {"model": Message, "description": "Unknown file"}},
)
def get_metadata(file_id: str, repo: Repository) -> Upload:
    return _load(repo, file_id)


@router.get(
    "/{file_id}/content",
    summary="Download file content",
    response_class=Response,
    responses={
        200: {
            "description": "The stored bytes",
            "content": {"image/png": {}, "image/jpeg": {}, "application/pdf": {}},
        },
        404: {"model": Message, "description": "Unknown file"},
    },
)
def download(file_id: str, repo: Repository, store: BlobStore) -> Response:
    upload = _load(repo, file_id)
    try:
        data = store.path_of(upload.blob_name).read_bytes()
    except FileNotFoundError:
        raise NotFoundError("File not found") from None
    return Response(
        content=data,
        media_type=upload.content_type,
        headers={
            "Content-Disposition": _attachment(upload.filename),
            "X-Content-Type-Options": "nosniff",
        },
    )
