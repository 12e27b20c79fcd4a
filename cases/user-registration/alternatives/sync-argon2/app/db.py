"""Synchronous SQLAlchemy engine and the per-request session dependency."""

import os
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


def _sync_url(url: str) -> str:
    # DATABASE_URL names the async driver; this app uses the standard sqlite3 driver.
    return url.replace("+aiosqlite", "")


engine = create_engine(
    _sync_url(os.environ.get("DATABASE_URL", "sqlite:///./app.db")),
    connect_args={"check_same_thread": False},
)
SessionFactory = sessionmaker(bind=engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


def get_session() -> Iterator[Session]:
    with SessionFactory() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
