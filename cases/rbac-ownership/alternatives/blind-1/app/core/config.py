import os

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings, read from the environment."""

    model_config = SettingsConfigDict(extra="ignore")

    app_name: str = "Notes API"
    database_url: str = "sqlite+aiosqlite:///./app.db"
    access_token_expire_minutes: int = 30
    jwt_algorithm: str = "HS256"


class AdminSettings(BaseSettings):
    """The seeded administrator; read when the application starts, not at import."""

    model_config = SettingsConfigDict(extra="ignore")

    admin_email: str | None = None
    admin_password: SecretStr | None = None


def get_jwt_secret_key() -> str:
    """Return the token-signing secret from ``JWT_SECRET_KEY``.

    Read on use (not cached at import) so a deployment can inject it late.
    """
    secret = os.environ.get("JWT_SECRET_KEY")
    if not secret:
        raise RuntimeError("JWT_SECRET_KEY environment variable is not set")
    return secret


settings = Settings()
