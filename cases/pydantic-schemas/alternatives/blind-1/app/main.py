from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api.v1.router import api_router
from app.core.config import get_database_url
from app.core.db import open_database


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    engine, sessionmaker = await open_database(get_database_url())
    app.state.sessionmaker = sessionmaker
    try:
        yield
    finally:
        await engine.dispose()


app = FastAPI(
    title="Invoicing API",
    version="1.0.0",
    lifespan=lifespan,
    openapi_tags=[
        {"name": "invoices", "description": "Create, read and update invoices."}
    ],
)
app.include_router(api_router)
