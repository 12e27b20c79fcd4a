"""Synchronous engine: the async URL from DATABASE_URL without the +aiosqlite driver."""

import os
from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Session

_url = os.environ.get("DATABASE_URL", "sqlite:///./invoices.db")
_url = _url.replace("+aiosqlite", "")
engine = create_engine(_url, connect_args={"check_same_thread": False})


class Base(DeclarativeBase):
    pass


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session
