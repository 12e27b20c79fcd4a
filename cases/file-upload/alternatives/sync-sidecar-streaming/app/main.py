from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api.v1.router import router
from app.core.config import load_settings
from app.services.file_store import FileStore


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = load_settings()
    store = FileStore(settings.upload_dir, settings.max_bytes)
    store.ensure_root()
    app.state.file_store = store
    yield


app = FastAPI(title="File store", version="1.0.0", lifespan=lifespan)
app.include_router(router)
