from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import AdminSettings
from app.core.security import burn_password_check, hash_password, verify_password
from app.models.user import User


async def get_user_by_username(session: AsyncSession, username: str) -> User | None:
    return await session.scalar(select(User).where(User.username == username))


async def seed_admin_user(session: AsyncSession) -> None:
    """Create the account named by ADMIN_USERNAME / ADMIN_PASSWORD if both are set.

    Read at start-up (not import) so a deployment can inject them late. An existing
    account is left as it is.
    """
    admin = AdminSettings()
    if not admin.admin_username or admin.admin_password is None:
        return
    if await get_user_by_username(session, admin.admin_username) is not None:
        return
    session.add(
        User(
            username=admin.admin_username,
            hashed_password=hash_password(admin.admin_password.get_secret_value()),
        )
    )
    await session.commit()


async def authenticate(
    session: AsyncSession, username: str, password: str
) -> User | None:
    """The account for these credentials; None for an unknown user or bad password."""
    user = await get_user_by_username(session, username)
    if user is None:
        burn_password_check(password)
        return None
    return user if verify_password(password, user.hashed_password) else None
