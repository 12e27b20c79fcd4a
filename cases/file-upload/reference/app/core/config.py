from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings, read from the environment."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./files.db"
    upload_dir: Path = Path("uploads")
    max_upload_bytes: int = 1024 * 1024  # 1 MiB


@lru_cache
def get_settings() -> Settings:
    return Settings()
