"""Hand-written SQL for the user queries, always with bound parameters."""

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Credentials:
    id: int
    password_hash: str


@dataclass(frozen=True)
class PublicUser:
    id: int
    username: str


_BY_USERNAME = text("SELECT id, username FROM users WHERE username = :username")
_CREDENTIALS = text("SELECT id, password_hash FROM users WHERE username = :username")
_SEARCH = text(
    "SELECT id, username FROM users "
    "WHERE username LIKE :pattern ESCAPE '\\' ORDER BY id"
)


def _like_pattern(fragment: str) -> str:
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def get_public_user(db: AsyncSession, username: str) -> PublicUser | None:
    row = (await db.execute(_BY_USERNAME, {"username": username})).first()
    return PublicUser(id=row.id, username=row.username) if row else None


async def get_credentials(db: AsyncSession, username: str) -> Credentials | None:
    row = (await db.execute(_CREDENTIALS, {"username": username})).first()
    return Credentials(id=row.id, password_hash=row.password_hash) if row else None


async def search_users(db: AsyncSession, fragment: str) -> list[PublicUser]:
    rows = (await db.execute(_SEARCH, {"pattern": _like_pattern(fragment)})).all()
    return [PublicUser(id=row.id, username=row.username) for row in rows]
