from collections.abc import Callable
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.core.security import token_subject
from app.db.session import get_session
from app.models.account import ROLE_ADMIN, Account
from app.services.accounts import find_by_email
from app.services.notes import NoteRepository

bearer_scheme = HTTPBearer(description="JWT from POST /api/v1/auth/token")

SessionDep = Annotated[Session, Depends(get_session)]


def _unauthorized() -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Invalid or expired token",
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_account(
    credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer_scheme)],
    session: SessionDep,
) -> Account:
    try:
        email = token_subject(credentials.credentials)
    except jwt.PyJWTError:
        raise _unauthorized() from None
    account = find_by_email(session, email)
    if account is None:
        raise _unauthorized()
    return account


CurrentAccount = Annotated[Account, Depends(current_account)]


def require_role(*roles: str) -> Callable[[Account], Account]:
    """A dependency letting through only accounts whose stored role is in ``roles``."""

    def check(account: CurrentAccount) -> Account:
        if account.role not in roles:
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN, detail="Insufficient role"
            )
        return account

    return check


AdminAccount = Annotated[Account, Depends(require_role(ROLE_ADMIN))]


def note_repository(session: SessionDep, account: CurrentAccount) -> NoteRepository:
    return NoteRepository(session, account)


Notes = Annotated[NoteRepository, Depends(note_repository)]
