from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, status

from app.api.deps import CurrentAccount, SessionDep
from app.core.security import issue_token
from app.models.account import Account
from app.schemas.account import AccountCreate, AccountRead, TokenPair
from app.services import accounts

router = APIRouter(tags=["auth"])


@router.post(
    "/auth/register",
    status_code=status.HTTP_201_CREATED,
    summary="Register an account (role: user)",
)
def register(body: AccountCreate, session: SessionDep) -> AccountRead:
    account = accounts.register(session, body.email, body.password)
    return AccountRead.model_validate(account)


@router.post("/auth/token", summary="Exchange e-mail and password for a bearer token")
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


@router.get("/users/me", response_model=AccountRead, summary="Who am I")
def me(account: CurrentAccount) -> Account:
    return account
