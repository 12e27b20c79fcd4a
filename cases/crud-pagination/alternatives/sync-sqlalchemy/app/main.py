from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from app.api.v1.endpoints import tasks
from app.core.db import Base, engine
from app.models import task as _task_model  # noqa: F401  (registers the table)


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    Base.metadata.create_all(engine)
    yield
    engine.dispose()


app = FastAPI(title="Task tracker", lifespan=lifespan)

v1 = APIRouter(prefix="/api/v1")
v1.include_router(tasks.router)
app.include_router(v1)
