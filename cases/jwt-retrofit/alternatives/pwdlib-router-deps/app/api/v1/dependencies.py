from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.exceptions import AuthenticationError
from app.core.security import subject_of
from app.db.session import get_db
from app.models.user import User
from app.services.users import get_user_by_username

DbSession = Annotated[AsyncSession, Depends(get_db)]

# auto_error=False: every failure goes through AuthenticationError and one handler.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="api/v1/auth/token", auto_error=False)


async def require_user(
    token: Annotated[str | None, Depends(oauth2_scheme)], db: DbSession
) -> User:
    if not token:
        raise AuthenticationError()
    user = await get_user_by_username(db, subject_of(token))
    if user is None:
        raise AuthenticationError("Unknown user")
    return user
