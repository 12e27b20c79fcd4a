from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings, read from the environment."""

    model_config = SettingsConfigDict(extra="ignore")

    app_name: str = "Products API"
    database_url: str = "sqlite+aiosqlite:///./app.db"


class AdminSettings(BaseSettings):
    """The bootstrap admin account, read when the application starts."""

    model_config = SettingsConfigDict(extra="ignore")

    admin_username: str | None = None
    admin_password: SecretStr | None = None


settings = Settings()


class AuthSettings(BaseSettings):
    """Token settings. ``JWT_SECRET_KEY`` is required; read each time tokens are made
    or checked, so the key always comes from the current environment."""

    model_config = SettingsConfigDict(extra="ignore")

    jwt_secret_key: SecretStr
    jwt_algorithm: str = "HS256"
    access_token_expire_minutes: int = 30


def get_auth_settings() -> AuthSettings:
    return AuthSettings()
