from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from app.api.deps import get_blob_store
from app.api.v1.router import router as api_v1_router
from app.core.errors import install_error_handlers
from app.db.engine import init_db


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    get_blob_store().ensure_root()
    await run_in_threadpool(init_db)
    yield


app = FastAPI(title="Files API", version="1.0.0", lifespan=lifespan)
install_error_handlers(app)
app.include_router(api_v1_router)
