import os

from sqlalchemy.engine import make_url


def sync_database_url() -> str:
    """``DATABASE_URL`` (an async SQLAlchemy URL) turned into its sync form.

    ``sqlite+aiosqlite:////tmp/app.db`` -> ``sqlite:////tmp/app.db``.
    """
    raw = os.environ.get("DATABASE_URL", "").strip() or "sqlite:///./app.db"
    url = make_url(raw)
    if "+" in url.drivername:
        url = url.set(drivername=url.drivername.split("+", 1)[0])
    return url.render_as_string(hide_password=False)
