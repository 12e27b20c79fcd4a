from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from app import models  # noqa: F401  (tables must be registered before create_all)
from app.api.v1.router import router as v1_router
from app.core.exceptions import register_exception_handlers
from app.db.session import Base, SessionFactory, engine
from app.services.accounts import ensure_admin


def _prepare_database() -> None:
    Base.metadata.create_all(engine)
    with SessionFactory() as session:
        ensure_admin(session)


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    await run_in_threadpool(_prepare_database)
    yield
    engine.dispose()


app = FastAPI(title="Notes", version="1.0.0", lifespan=lifespan)
register_exception_handlers(app)
app.include_router(v1_router)
