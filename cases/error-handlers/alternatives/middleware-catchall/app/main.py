import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from app.api.v1.router import api_router
from app.core.config import get_settings
from app.core.database import engine, init_db
from app.core.exceptions import HANDLERS, internal_error

log = logging.getLogger(__name__)


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
    exception_handlers=HANDLERS,
)
app.include_router(api_router, prefix=settings.api_v1_prefix)


@app.middleware("http")
async def shield_unhandled_errors(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Last line of defence: anything no handler claimed becomes a generic 500."""
    try:
        return await call_next(request)
    except Exception:
        log.exception("unhandled error in %s %s", request.method, request.url.path)
        return internal_error()
