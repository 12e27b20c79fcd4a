import os

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings, read from the environment."""

    model_config = SettingsConfigDict(extra="ignore")

    app_name: str = "Products API"
    database_url: str = "sqlite+aiosqlite:///./app.db"
    jwt_algorithm: str = "HS256"
    access_token_expire_minutes: int = 30


class AdminSettings(BaseSettings):
    """The bootstrap admin account, read when the application starts."""

    model_config = SettingsConfigDict(extra="ignore")

    admin_username: str | None = None
    admin_password: SecretStr | None = None


def get_jwt_secret_key() -> str:
    """The token-signing secret, from ``JWT_SECRET_KEY``.

    Read on use rather than at import, so a deployment can inject it late.
    """
    secret = os.environ.get("JWT_SECRET_KEY")
    if not secret:
        raise RuntimeError("The JWT_SECRET_KEY environment variable is not set")
    return secret


settings = Settings()
