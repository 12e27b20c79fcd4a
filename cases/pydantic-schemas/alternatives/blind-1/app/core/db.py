"""Async database engine and session dependency.

The engine is created by the application's lifespan handler (so that the
``DATABASE_URL`` of the current run is used) and kept on ``app.state``.
"""

from collections.abc import AsyncIterator

from fastapi import Request
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


async def open_database(
    url: str,
) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    from app.models import invoice  # noqa: F401  (register the tables)

    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    return engine, async_sessionmaker(engine, expire_on_commit=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessionmaker() as session:
        yield session
