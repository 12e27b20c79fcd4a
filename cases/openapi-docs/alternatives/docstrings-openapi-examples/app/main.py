"""Inventory API: the shop's product catalogue."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import app.models  # noqa: F401  (registers the tables on Base.metadata)
from app.api.v1.router import api_router
from app.core.database import Base, engine


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield
    await engine.dispose()


app = FastAPI(
    title="Inventory API",
    summary="Categories and products of the shop catalogue.",
    description=(
        "Version 1 of the catalogue API. Categories group products; each product has a "
        "unique SKU, a price in EUR and a stock level. Every error except validation "
        'errors (422) is returned as `{"detail": "..."}`.'
    ),
    version="1.0.0",
    openapi_tags=[
        {"name": "categories", "description": "Groups of products."},
        {
            "name": "products",
            "description": "Items for sale, with SKU, price and stock.",
        },
    ],
    lifespan=lifespan,
)
app.include_router(api_router)
