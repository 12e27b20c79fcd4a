from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    app_name: str = "Catalog API"
    # Comma-separated list of exact origins (scheme://host[:port]) allowed to call
    # the API from a browser. Unset or empty: no origin is allowed.
    cors_origins: str = ""

    @property
    def cors_origin_list(self) -> list[str]:
        seen: dict[str, None] = {}
        for entry in self.cors_origins.split(","):
            origin = entry.strip()
            if origin:
                seen.setdefault(origin, None)
        return list(seen)


@lru_cache
def get_settings() -> Settings:
    return Settings()
