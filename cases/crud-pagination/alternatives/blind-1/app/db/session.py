"""Async engine / session lifecycle.

The engine is created when the application starts (see ``app.main.lifespan``)
and stored on ``app.state``; request handlers receive a session through the
``get_db`` dependency.
"""

from collections.abc import AsyncIterator

from fastapi import Request
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.db.base import Base


def build_engine(url: str) -> AsyncEngine:
    return create_async_engine(url)


async def create_tables(engine: AsyncEngine) -> None:
    # Import models so that they are registered on Base.metadata.
    from app.models import task  # noqa: F401

    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)


def build_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        yield session
