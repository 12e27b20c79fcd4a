from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm

from app.api.v1.dependencies import DbSession
from app.core.security import create_access_token
from app.schemas.token import Token
from app.services.users import authenticate_user

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/token",
    summary="Log in",
    description="OAuth2 password flow: exchange a username and password for a bearer "
    "token (JWT, HS256) valid for 30 minutes.",
    responses={status.HTTP_400_BAD_REQUEST: {"description": "Bad credentials"}},
)
async def login_for_access_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], db: DbSession
) -> Token:
    user = await authenticate_user(db, form.username, form.password)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_400_BAD_REQUEST,
            detail="Incorrect username or password",
        )
    return Token(access_token=create_access_token(user.username))
