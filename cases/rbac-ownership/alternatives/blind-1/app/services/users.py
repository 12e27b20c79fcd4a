from collections.abc import Sequence

from pydantic import EmailStr, TypeAdapter, ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import AdminSettings
from app.core.security import DUMMY_PASSWORD_HASH, hash_password, verify_password
from app.models.user import Role, User

_email_adapter = TypeAdapter(EmailStr)


class EmailAlreadyRegisteredError(Exception):
    """Raised when an account with that e-mail address already exists."""


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    """E-mail addresses are matched case-insensitively."""
    return await session.scalar(
        select(User).where(func.lower(User.email) == email.lower())
    )


async def list_users(session: AsyncSession) -> Sequence[User]:
    return (await session.scalars(select(User).order_by(User.id))).all()


async def create_user(
    session: AsyncSession, *, email: str, password: str, role: Role = Role.USER
) -> User:
    if await get_user_by_email(session, email) is not None:
        raise EmailAlreadyRegisteredError(email)
    user = User(email=email, hashed_password=hash_password(password), role=role.value)
    session.add(user)
    try:
        await session.commit()
    except IntegrityError as exc:  # concurrent registration of the same address
        await session.rollback()
        raise EmailAlreadyRegisteredError(email) from exc
    await session.refresh(user)
    return user


async def authenticate(session: AsyncSession, email: str, password: str) -> User | None:
    user = await get_user_by_email(session, email)
    if user is None:
        verify_password(password, DUMMY_PASSWORD_HASH)  # equalise timing
        return None
    if not verify_password(password, user.hashed_password):
        return None
    return user


async def set_role(session: AsyncSession, user: User, role: Role) -> User:
    user.role = role.value
    await session.commit()
    await session.refresh(user)
    return user


def _normalise_email(raw: str) -> str:
    raw = raw.strip()
    try:
        return _email_adapter.validate_python(raw)
    except ValidationError:
        return raw


async def seed_admin(session: AsyncSession) -> User | None:
    """Ensure the ADMIN_EMAIL / ADMIN_PASSWORD account exists with the admin role.

    Does nothing unless both variables are set (and non-empty). An existing account
    with that address is promoted to admin and given that password.
    """
    cfg = AdminSettings()
    if not cfg.admin_email or not cfg.admin_password:
        return None
    if not cfg.admin_password.get_secret_value():
        return None
    email = _normalise_email(cfg.admin_email)
    password = cfg.admin_password.get_secret_value()

    user = await get_user_by_email(session, email)
    if user is None:
        user = User(
            email=email, hashed_password=hash_password(password), role=Role.ADMIN.value
        )
        session.add(user)
    else:
        user.role = Role.ADMIN.value
        if not verify_password(password, user.hashed_password):
            user.hashed_password = hash_password(password)
    await session.commit()
    return user
