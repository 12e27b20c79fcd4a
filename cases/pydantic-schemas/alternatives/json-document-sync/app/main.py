from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api.v1.endpoints import invoices
from app.core.database import Base, engine
from app.models.invoice import InvoiceRecord  # noqa: F401  (registers the table)


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    Base.metadata.create_all(engine)
    yield


app = FastAPI(title="Invoices", lifespan=lifespan)
app.include_router(invoices.router, prefix="/api/v1")
