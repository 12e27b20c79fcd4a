"""User persistence, free of HTTP concerns."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.item import Item
from app.models.user import User
from app.schemas.user import UserCreate


class EmailTakenError(Exception):
    pass


async def create(db: AsyncSession, data: UserCreate) -> User:
    if await db.scalar(select(User.id).where(User.email == data.email)):
        raise EmailTakenError(data.email)
    user = User(email=data.email, full_name=data.full_name)
    db.add(user)
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        raise EmailTakenError(data.email) from exc
    await db.refresh(user)
    return user


async def get(db: AsyncSession, user_id: int) -> User | None:
    return await db.get(User, user_id)


async def page(db: AsyncSession, limit: int, offset: int) -> Sequence[User]:
    query = select(User).order_by(User.id).limit(limit).offset(offset)
    return (await db.scalars(query)).all()


async def items_of(db: AsyncSession, user_id: int) -> Sequence[Item]:
    query = select(Item).where(Item.owner_id == user_id).order_by(Item.id)
    return (await db.scalars(query)).all()
