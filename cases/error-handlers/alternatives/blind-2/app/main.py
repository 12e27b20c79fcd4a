from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api.v1.router import api_router
from app.core.config import get_settings
from app.core.database import engine, init_db
from app.core.error_handling import EXCEPTION_HANDLERS, CatchAllMiddleware


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    await init_db()
    yield
    await engine.dispose()


settings = get_settings()
app = FastAPI(
    title=settings.app_name,
    version="0.3.0",
    lifespan=lifespan,
    exception_handlers=EXCEPTION_HANDLERS,
)
app.add_middleware(CatchAllMiddleware)
app.include_router(api_router, prefix=settings.api_v1_prefix)
