"""Synchronous SQLAlchemy engine and per-request sessions.

Endpoints are plain ``def`` functions, so FastAPI runs them in its thread
pool; the engine is therefore created with ``check_same_thread=False``.
"""

from collections.abc import Iterator

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.config import sync_database_url


class Base(DeclarativeBase):
    pass


_engine: Engine | None = None
_SessionLocal: sessionmaker[Session] | None = None


def init_db() -> None:
    """Create the engine for the current ``DATABASE_URL`` and the tables."""
    global _engine, _SessionLocal
    from app import models  # noqa: F401  (register tables on Base.metadata)

    dispose_db()
    url = sync_database_url()
    connect_args = {"check_same_thread": False} if url.startswith("sqlite") else {}
    _engine = create_engine(url, connect_args=connect_args)
    Base.metadata.create_all(_engine)
    _SessionLocal = sessionmaker(bind=_engine, expire_on_commit=False)


def dispose_db() -> None:
    global _engine, _SessionLocal
    if _engine is not None:
        _engine.dispose()
    _engine = None
    _SessionLocal = None


def get_session() -> Iterator[Session]:
    if _SessionLocal is None:  # app used without its lifespan
        init_db()
    assert _SessionLocal is not None
    with _SessionLocal() as session:
        yield session
