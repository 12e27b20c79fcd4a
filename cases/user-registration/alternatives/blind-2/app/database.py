"""Synchronous SQLAlchemy engine; FastAPI runs the ``def`` endpoints in a threadpool."""

from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.settings import load_settings, sync_database_url

engine = create_engine(
    sync_database_url(load_settings().database_url),
    connect_args={"check_same_thread": False},
)
SessionLocal = sessionmaker(bind=engine, autoflush=False, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


def create_tables() -> None:
    from app import models  # noqa: F401  (register the tables)

    Base.metadata.create_all(bind=engine)


def get_session() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session
