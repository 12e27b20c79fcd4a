from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from app.core.settings import upload_dir
from app.db.engine import get_session
from app.repositories.files import UploadRepository
from app.storage.local import LocalBlobStore


def get_repository(
    session: Annotated[Session, Depends(get_session)],
) -> UploadRepository:
    return UploadRepository(session)


def get_blob_store() -> LocalBlobStore:
    return LocalBlobStore(upload_dir())


Repository = Annotated[UploadRepository, Depends(get_repository)]
BlobStore = Annotated[LocalBlobStore, Depends(get_blob_store)]
