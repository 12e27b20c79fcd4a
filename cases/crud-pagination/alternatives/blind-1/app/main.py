from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api.v1.router import api_router
from app.core.config import get_database_url
from app.db.session import build_engine, build_sessionmaker, create_tables


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    engine = build_engine(get_database_url())
    await create_tables(engine)
    app.state.engine = engine
    app.state.sessionmaker = build_sessionmaker(engine)
    try:
        yield
    finally:
        await engine.dispose()


app = FastAPI(
    title="Task Tracker API",
    version="1.0.0",
    lifespan=lifespan,
    openapi_tags=[
        {"name": "tasks", "description": "Create, list, update and delete tasks."}
    ],
)
app.include_router(api_router)
