from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from app.core.config import get_settings

engine = create_async_engine(get_settings().database_url)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


if engine.dialect.name == "sqlite":
    # The sqlite3 driver only opens a transaction right before the first INSERT/UPDATE,
    # so reads made earlier in a "transaction" are not protected, and two deferred
    # transactions that both read and then write can deadlock. Take control of BEGIN
    # and start every transaction with BEGIN IMMEDIATE: it takes SQLite's write lock
    # up front (the equivalent of SELECT ... FOR UPDATE for the whole database), so a
    # read-check-write sequence such as placing an order cannot interleave with another.

    @event.listens_for(engine.sync_engine, "connect")
    def _disable_driver_transactions(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _begin_immediate(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Base(DeclarativeBase):
    pass


async def get_db() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session
