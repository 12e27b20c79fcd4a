from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import app.models  # noqa: F401  (registers the tables on Base.metadata)
from app.api.v1.router import api_router
from app.core.database import Base, engine

DESCRIPTION = """
Inventory service: manage product **categories** and the **products** in them.

* Categories have unique names.
* Products belong to exactly one category and have a unique SKU.
* Errors raised by the API have the body `{"detail": "<message>"}`.

All routes are versioned under `/api/v1`.
"""

TAGS_METADATA = [
    {
        "name": "categories",
        "description": "Create, list and read the product categories.",
    },
    {
        "name": "products",
        "description": "Create, list (filter by category, paginate), read, "
        "update and delete products.",
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
    openapi_tags=TAGS_METADATA,
    lifespan=lifespan,
)
app.include_router(api_router, prefix="/api/v1")
