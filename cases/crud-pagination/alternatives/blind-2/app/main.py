from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.database import dispose_db, init_db
from app.routers import tasks


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    init_db()  # creates the tables in the database named by DATABASE_URL
    try:
        yield
    finally:
        dispose_db()


app = FastAPI(title="Tasks API", version="1.0.0", lifespan=lifespan)
app.include_router(tasks.router)
