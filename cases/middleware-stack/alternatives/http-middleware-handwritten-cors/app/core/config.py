import os
from dataclasses import dataclass, field
from functools import lru_cache


def _split_csv(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    app_name: str = "Catalog API"
    cors_origins: tuple[str, ...] = field(default_factory=tuple)


@lru_cache
def get_settings() -> Settings:
    return Settings(cors_origins=_split_csv(os.environ.get("CORS_ORIGINS", "")))
