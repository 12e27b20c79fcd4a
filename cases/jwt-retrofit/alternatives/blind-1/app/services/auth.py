from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import DUMMY_PASSWORD_HASH, verify_password
from app.models.user import User
from app.services.users import get_user_by_username


async def authenticate_user(
    session: AsyncSession, username: str, password: str
) -> User | None:
    """The user if the credentials are right, else None (for either failure)."""
    user = await get_user_by_username(session, username)
    if user is None:
        verify_password(password, DUMMY_PASSWORD_HASH)
        return None
    if not verify_password(password, user.hashed_password):
        return None
    return user
