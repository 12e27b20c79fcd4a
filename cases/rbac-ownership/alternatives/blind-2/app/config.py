from functools import cached_property

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the service reads from the environment, loaded at start-up."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./app.db"
    jwt_secret_key: SecretStr
    jwt_algorithm: str = "HS256"
    access_token_expire_minutes: int = Field(default=30, gt=0)
    admin_email: str | None = None
    admin_password: SecretStr | None = None

    @field_validator("jwt_secret_key")
    @classmethod
    def secret_not_empty(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value():
            raise ValueError("JWT_SECRET_KEY must not be empty")
        return value

    @cached_property
    def sync_database_url(self) -> str:
        """This service uses a synchronous engine: drop the async driver."""
        return self.database_url.replace("+aiosqlite", "")

    @property
    def admin_seed(self) -> tuple[str, str] | None:
        """(email, password) if both ADMIN_EMAIL and ADMIN_PASSWORD are set."""
        if not self.admin_email or not self.admin_email.strip():
            return None
        if self.admin_password is None or not self.admin_password.get_secret_value():
            return None
        return self.admin_email.strip(), self.admin_password.get_secret_value()
