from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api.v1.router import api_router
from app.core.config import get_settings
from app.db.session import engine, init_db
from app.services.storage import upload_dir


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    upload_dir()  # create UPLOAD_DIR if it does not exist
    await init_db()
    yield
    await engine.dispose()


app = FastAPI(title=get_settings().app_name, version="1.0.0", lifespan=lifespan)
app.include_router(api_router)
