from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Security, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import decode_token
from app.db.session import get_db
from app.models.user import User

DbSession = Annotated[AsyncSession, Depends(get_db)]

oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token", description="Log in at /api/v1/auth/token"
)


def unauthorized(reason: str) -> HTTPException:
    """401 with an RFC 6750 challenge naming what was wrong with the token."""
    challenge = f'Bearer error="invalid_token", error_description="{reason}"'
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=reason,
        headers={"WWW-Authenticate": challenge},
    )


class BearerUser:
    """Resolves the bearer token to a stored user, or answers 401."""

    async def __call__(
        self, token: Annotated[str, Security(oauth2_scheme)], db: DbSession
    ) -> User:
        try:
            claims = decode_token(token)
        except jwt.ExpiredSignatureError:
            raise unauthorized("Token expired") from None
        except jwt.InvalidTokenError:
            raise unauthorized("Invalid token") from None
        user = await db.scalar(select(User).where(User.username == claims["sub"]))
        if user is None:
            raise unauthorized("Unknown user")
        return user


get_current_user = BearerUser()
