"""Synchronous SQLAlchemy setup.

``DATABASE_URL`` holds an async URL (``sqlite+aiosqlite:///...``); this module
uses the synchronous driver for the same database. Endpoints are plain ``def``
functions run in FastAPI's thread pool.
"""

import os
from collections.abc import Iterator

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    pass


_state: dict[str, object] = {}


def _sync_url() -> str:
    raw = os.environ.get("DATABASE_URL", "").strip() or "sqlite:///./invoices.db"
    url = make_url(raw)
    backend = url.get_backend_name()
    return url.set(drivername=backend).render_as_string(hide_password=False)


def init_db() -> None:
    from app import models  # noqa: F401  (register tables)

    shutdown_db()
    url = _sync_url()
    connect_args = {"check_same_thread": False} if url.startswith("sqlite") else {}
    engine = create_engine(url, connect_args=connect_args)
    Base.metadata.create_all(engine)
    _state["engine"] = engine
    _state["sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)


def shutdown_db() -> None:
    engine = _state.pop("engine", None)
    _state.pop("sessionmaker", None)
    if isinstance(engine, Engine):
        engine.dispose()


def get_db() -> Iterator[Session]:
    if "sessionmaker" not in _state:
        init_db()
    factory = _state["sessionmaker"]
    assert isinstance(factory, sessionmaker)
    with factory() as session:
        yield session
