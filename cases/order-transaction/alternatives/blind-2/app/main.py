from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import app.models  # noqa: F401  (register the tables on Base.metadata)
from app.api.v1.router import api_router
from app.core.database import Base, engine
from app.core.exceptions import register_exception_handlers


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield
    await engine.dispose()


app = FastAPI(title="Shop API", version="1.0.0", lifespan=lifespan)
register_exception_handlers(app)
app.include_router(api_router)
