"""User registration logic, independent of HTTP."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.exceptions import EmailAlreadyRegisteredError
from app.core.security import hash_password
from app.models.user import User
from app.schemas.user import UserCreate


async def register_user(db: AsyncSession, data: UserCreate) -> User:
    taken = await db.scalar(
        select(func.count()).select_from(User).where(User.email == data.email)
    )
    if taken:
        raise EmailAlreadyRegisteredError(data.email)
    user = User(email=data.email, hashed_password=hash_password(data.password))
    db.add(user)
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        raise EmailAlreadyRegisteredError(data.email) from exc
    await db.refresh(user)
    return user
