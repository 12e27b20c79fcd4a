"""Configuration read from environment variables."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    database_url: str
    jwt_secret_key: str | None


def load_settings() -> Settings:
    return Settings(
        database_url=os.environ.get("DATABASE_URL", "sqlite+aiosqlite:///./app.db"),
        jwt_secret_key=os.environ.get("JWT_SECRET_KEY"),
    )


def sync_database_url(url: str) -> str:
    """This service uses a synchronous engine: drop the async driver suffix."""
    return url.replace("+aiosqlite", "", 1)
