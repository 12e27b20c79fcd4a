"""Application settings, read from the environment."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Runtime configuration. ``DATABASE_URL`` is an async SQLAlchemy URL."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    app_name: str = "User Service"
    api_v1_prefix: str = "/api/v1"
    database_url: str = "sqlite+aiosqlite:///./app.db"


@lru_cache
def get_settings() -> Settings:
    return Settings()
