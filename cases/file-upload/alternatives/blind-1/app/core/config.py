"""Application settings, read from environment variables."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

MAX_UPLOAD_BYTES = 1024 * 1024  # 1 MiB of file content


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    app_name: str = "File Upload Service"
    database_url: str = "sqlite+aiosqlite:///./app.db"
    upload_dir: Path = Path("./uploads")
    jwt_secret_key: str | None = None

    @property
    def async_database_url(self) -> str:
        url = self.database_url
        if url.startswith("sqlite://"):
            url = "sqlite+aiosqlite://" + url[len("sqlite://") :]
        return url


@lru_cache
def get_settings() -> Settings:
    return Settings()
