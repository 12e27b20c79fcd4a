from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.db import init_db, shutdown_db
from app.routers import invoices


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    init_db()  # create the tables in the DATABASE_URL database
    try:
        yield
    finally:
        shutdown_db()


app = FastAPI(title="Invoicing API", version="1.0.0", lifespan=lifespan)
app.include_router(invoices.router)
