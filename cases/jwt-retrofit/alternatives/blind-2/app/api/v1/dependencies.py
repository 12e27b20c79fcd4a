from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import AuthSettings, get_auth_settings
from app.core.security import InvalidTokenError, parse_access_token
from app.db.session import get_db
from app.models.user import User
from app.services.users import get_user_by_username

DbSession = Annotated[AsyncSession, Depends(get_db)]
AuthConfig = Annotated[AuthSettings, Depends(get_auth_settings)]

# auto_error=False so that every failure (no header, wrong scheme, bad token,
# unknown user) goes through the same 401 below.
oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    auto_error=False,
    description="Log in at /api/v1/auth/token and send the JWT as a Bearer token.",
)


def _not_authenticated() -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Not authenticated",
        headers={"WWW-Authenticate": "Bearer"},
    )


async def require_user(
    token: Annotated[str | None, Depends(oauth2_scheme)],
    db: DbSession,
    auth: AuthConfig,
) -> User:
    if not token:
        raise _not_authenticated()
    try:
        claims = parse_access_token(token, auth)
    except InvalidTokenError:
        raise _not_authenticated() from None
    user = await get_user_by_username(db, claims.sub)
    if user is None:
        raise _not_authenticated()
    return user


CurrentUser = Annotated[User, Depends(require_user)]
