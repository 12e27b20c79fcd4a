from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from app import crud
from app.config import Settings
from app.database import get_session
from app.models import Role, User
from app.security import read_token_subject

# auto_error=False: every authentication failure goes through one code path below,
# so they all answer the same 401 with WWW-Authenticate: Bearer.
bearer_token = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)

DB = Annotated[Session, Depends(get_session)]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


AppSettings = Annotated[Settings, Depends(get_settings)]


def _unauthorized() -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Not authenticated",
        headers={"WWW-Authenticate": "Bearer"},
    )


def authenticated_user(
    token: Annotated[str | None, Depends(bearer_token)],
    settings: AppSettings,
    db: DB,
) -> User:
    """The caller, re-read from the database on every request (role included)."""
    if not token:
        raise _unauthorized()
    subject = read_token_subject(settings, token)
    if subject is None:
        raise _unauthorized()
    user = crud.find_user_by_email(db, subject)
    if user is None:
        raise _unauthorized()
    return user


Caller = Annotated[User, Depends(authenticated_user)]


def require_role(role: Role) -> Callable[[User], User]:
    def checker(user: Caller) -> User:
        if user.role != role.value:
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail=f"Requires the {role.value} role",
            )
        return user

    return checker
