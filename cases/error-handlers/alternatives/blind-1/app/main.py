from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api.v1.router import api_router
from app.core.config import get_settings
from app.core.database import engine, init_db
from app.core.error_handlers import register_exception_handlers


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    await init_db()
    yield
    await engine.dispose()


settings = get_settings()
# debug must stay off: in debug mode Starlette answers unhandled errors with a
# traceback page, bypassing our handlers.
app = FastAPI(title=settings.app_name, version="0.3.0", debug=False, lifespan=lifespan)
register_exception_handlers(app)
app.include_router(api_router, prefix=settings.api_v1_prefix)
