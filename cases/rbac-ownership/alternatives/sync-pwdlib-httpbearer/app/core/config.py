"""Configuration read once from the environment (no settings library needed)."""

import os
from dataclasses import dataclass


def _sync_url(url: str) -> str:
    # This service uses a synchronous engine: drop the async driver from the URL.
    return url.replace("+aiosqlite", "")


@dataclass(frozen=True)
class Config:
    database_url: str
    jwt_secret_key: str
    jwt_algorithm: str
    token_ttl_minutes: int
    admin_email: str | None
    admin_password: str | None


def load_config() -> Config:
    return Config(
        database_url=_sync_url(os.environ.get("DATABASE_URL", "sqlite:///./app.db")),
        jwt_secret_key=os.environ["JWT_SECRET_KEY"],
        jwt_algorithm="HS256",
        token_ttl_minutes=int(os.environ.get("ACCESS_TOKEN_TTL_MINUTES", "15")),
        admin_email=os.environ.get("ADMIN_EMAIL") or None,
        admin_password=os.environ.get("ADMIN_PASSWORD") or None,
    )


config = load_config()
