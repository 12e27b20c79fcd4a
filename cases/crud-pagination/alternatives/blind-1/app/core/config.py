"""Application settings read from the environment."""

import os

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./app.db"


def get_database_url() -> str:
    """Return the async SQLAlchemy URL from ``DATABASE_URL``.

    Read at application start-up (not at import time) so every run picks up
    the URL of its own, fresh database.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    return url or DEFAULT_DATABASE_URL
