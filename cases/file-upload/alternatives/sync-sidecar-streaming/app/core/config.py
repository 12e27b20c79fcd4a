import os
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    upload_dir: Path
    max_bytes: int = MIB


def load_settings() -> Settings:
    return Settings(upload_dir=Path(os.environ.get("UPLOAD_DIR", "uploads")).resolve())
