from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import app.models  # noqa: F401  (registers the tables on Base.metadata)
from app.api.v1.router import api_router
from app.core.config import get_settings
from app.core.database import Base, engine
from app.core.errors import UnhandledErrorMiddleware, unhandled_exception_handler


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield
    await engine.dispose()


app = FastAPI(
    title=get_settings().app_name,
    version="0.3.0",
    lifespan=lifespan,
    exception_handlers={Exception: unhandled_exception_handler},
)
app.add_middleware(UnhandledErrorMiddleware)
app.include_router(api_router, prefix="/api/v1")
