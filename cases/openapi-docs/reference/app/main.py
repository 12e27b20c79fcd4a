from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import app.models  # noqa: F401  (registers the tables on Base.metadata)
from app.api.v1.router import api_router
from app.core.database import Base, engine

DESCRIPTION = """
Manage the product catalogue of the shop: **categories** group products, **products**
carry a unique SKU, a price and a stock level.

Errors other than validation errors (422) have the body `{"detail": "<message>"}`.
"""

TAGS = [
    {"name": "categories", "description": "Product categories: create, list and read."},
    {
        "name": "products",
        "description": "Products with SKU, price and stock: create, list, read, update "
        "and delete.",
    },
]


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield
    await engine.dispose()


app = FastAPI(
    title="Inventory API",
    version="1.0.0",
    description=DESCRIPTION,
    openapi_tags=TAGS,
    lifespan=lifespan,
)
app.include_router(api_router, prefix="/api/v1")
