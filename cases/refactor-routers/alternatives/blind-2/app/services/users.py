"""Data access for users."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.item import Item
from app.models.user import User
from app.schemas.user import UserCreate


class DuplicateEmailError(Exception):
    """Raised when a user with the same e-mail address already exists."""


async def email_exists(db: AsyncSession, email: str) -> bool:
    return bool(await db.scalar(select(User.id).where(User.email == email)))


async def create_user(db: AsyncSession, data: UserCreate) -> User:
    if await email_exists(db, data.email):
        raise DuplicateEmailError
    user = User(email=data.email, full_name=data.full_name)
    db.add(user)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise DuplicateEmailError from None
    await db.refresh(user)
    return user


async def list_users(db: AsyncSession, limit: int, offset: int) -> Sequence[User]:
    rows = await db.scalars(select(User).order_by(User.id).limit(limit).offset(offset))
    return rows.all()


async def get_user(db: AsyncSession, user_id: int) -> User | None:
    return await db.get(User, user_id)


async def list_items_of(db: AsyncSession, user_id: int) -> Sequence[Item]:
    rows = await db.scalars(
        select(Item).where(Item.owner_id == user_id).order_by(Item.id)
    )
    return rows.all()
