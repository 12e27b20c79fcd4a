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
