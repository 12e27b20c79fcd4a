"""Synchronous SQLAlchemy engine derived from DATABASE_URL."""

import os
from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


def _sync_url(url: str) -> str:
    return url.replace("+aiosqlite", "")


DATABASE_URL = _sync_url(os.environ.get("DATABASE_URL", "sqlite:///./tasks.db"))

engine = create_engine(DATABASE_URL, connect_args={"check_same_thread": False})
SessionFactory = sessionmaker(bind=engine, autoflush=False)


class Base(DeclarativeBase):
    pass


def get_session() -> Iterator[Session]:
    with SessionFactory() as session:
        yield session
