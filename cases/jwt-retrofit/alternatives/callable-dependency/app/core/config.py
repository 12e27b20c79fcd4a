from datetime import timedelta

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings, read from the environment."""

    model_config = SettingsConfigDict(extra="ignore")

    app_name: str = "Products API"
    database_url: str = "sqlite+aiosqlite:///./app.db"
    jwt_secret_key: SecretStr = Field(..., min_length=16)
    access_token_lifetime: timedelta = timedelta(minutes=30)


class AdminSettings(BaseSettings):
    """The bootstrap admin account, read when the application starts."""

    model_config = SettingsConfigDict(extra="ignore")

    admin_username: str | None = None
    admin_password: SecretStr | None = None


settings = Settings()
