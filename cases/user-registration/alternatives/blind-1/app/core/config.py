"""Application settings, read from the environment."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    app_name: str = "User Registration Service"
    database_url: str = "sqlite+aiosqlite:///./app.db"
    # Not used by the two endpoints, but read from the environment as required
    # so that token signing can be added without touching configuration.
    jwt_secret_key: str | None = None

    @property
    def async_database_url(self) -> str:
        """The database URL with an async driver (aiosqlite for SQLite)."""
        url = self.database_url
        if url.startswith("sqlite://"):
            url = "sqlite+aiosqlite://" + url[len("sqlite://") :]
        return url


@lru_cache
def get_settings() -> Settings:
    return Settings()
