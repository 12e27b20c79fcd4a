"""Runtime configuration, looked up in the environment when needed."""

import os
from pathlib import Path

MAX_FILE_SIZE = 1_048_576  # 1 MiB
CHUNK_SIZE = 64 * 1024


def database_url() -> str:
    """Synchronous SQLAlchemy URL (the async driver suffix is dropped)."""
    url = os.environ.get("DATABASE_URL", "sqlite:///./app.db")
    return url.replace("+aiosqlite", "", 1)


def upload_dir() -> Path:
    return Path(os.environ.get("UPLOAD_DIR", "./uploads"))


def jwt_secret_key() -> str | None:
    return os.environ.get("JWT_SECRET_KEY")
