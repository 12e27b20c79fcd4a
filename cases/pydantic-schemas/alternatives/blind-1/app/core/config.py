import os

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./invoices.db"


def get_database_url() -> str:
    """Async SQLAlchemy URL from ``DATABASE_URL`` (read at start-up)."""
    return os.environ.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
