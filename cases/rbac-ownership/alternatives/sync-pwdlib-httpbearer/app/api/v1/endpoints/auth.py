from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, status

from app.api.deps import SessionDep
from app.core.security import issue_token
from app.schemas.account import AccountCreate, AccountRead, TokenPair
from app.services import accounts

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    summary="Register an account (role: user)",
)
def register(body: AccountCreate, session: SessionDep) -> AccountRead:
    account = accounts.register(session, body.email, body.password)
    return AccountRead.model_validate(account)


@router.post("/token", summary="Exchange e-mail and password for a bearer token")
def token(
    username: Annotated[str, Form(description="The account's e-mail address")],
    password: Annotated[str, Form()],
    session: SessionDep,
) -> TokenPair:
    account = accounts.authenticate(session, username, password)
    if account is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect email or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return TokenPair(access_token=issue_token(account.email))
