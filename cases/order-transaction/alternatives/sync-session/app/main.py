from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

import app.models  # noqa: F401  (register the tables on Base.metadata)
from app.api.v1.router import api_router
from app.core.database import Base, engine


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    await run_in_threadpool(Base.metadata.create_all, engine)
    yield
    engine.dispose()


app = FastAPI(title="Shop API", version="1.0.0", lifespan=lifespan)
app.include_router(api_router)
