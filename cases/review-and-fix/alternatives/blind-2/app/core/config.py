from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings, read from the environment."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    app_name: str = "Bloglet"
    database_url: str = "sqlite+aiosqlite:///./bloglet.db"
    # Required: the app refuses to start without a signing secret.
    jwt_secret_key: str = Field(min_length=1)
    # Only symmetric HMAC algorithms; "none" or asymmetric ones cannot be
    # configured by accident.
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    access_token_expire_minutes: int = Field(default=30, gt=0)


@lru_cache
def get_settings() -> Settings:
    return Settings()
