"""Data access for users."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from app.core.security import hash_password
from app.models.user import User

# SQLite INTEGER primary keys are signed 64-bit values.
_MAX_SQLITE_INTEGER = 2**63 - 1


class EmailAlreadyRegisteredError(Exception):
    pass


async def get_user_by_email(db: AsyncSession, email: str) -> User | None:
    result = await db.execute(select(User).where(User.email == email.lower()))
    return result.scalar_one_or_none()


async def get_user_by_id(db: AsyncSession, user_id: int) -> User | None:
    if not 0 < user_id <= _MAX_SQLITE_INTEGER:
        return None
    return await db.get(User, user_id)


async def create_user(db: AsyncSession, email: str, password: str) -> User:
    email = email.lower()
    if await get_user_by_email(db, email) is not None:
        raise EmailAlreadyRegisteredError(email)

    # Password hashing is deliberately slow: keep it off the event loop.
    hashed = await run_in_threadpool(hash_password, password)
    user = User(email=email, hashed_password=hashed)
    db.add(user)
    try:
        await db.commit()
    except IntegrityError as exc:
        # A concurrent registration won the race for this address.
        await db.rollback()
        raise EmailAlreadyRegisteredError(email) from exc
    await db.refresh(user)
    return user
