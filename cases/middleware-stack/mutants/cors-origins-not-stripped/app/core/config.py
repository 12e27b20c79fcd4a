from functools import lru_cache
from typing import Annotated

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    app_name: str = "Catalog API"
    # CORS_ORIGINS="https://a.example, https://b.example": a comma-separated allow-list.
    # NoDecode stops pydantic-settings from parsing the value as JSON.
    cors_origins: Annotated[list[str], NoDecode] = []

    @field_validator("cors_origins", mode="before")
    @classmethod
    def split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin for origin in value.split(",") if origin]
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
