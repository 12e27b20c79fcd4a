from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestFormStrict
from sqlalchemy import select

from app.api.v1.dependencies import DbSession
from app.core.security import encode_token, password_matches
from app.models.user import User
from app.schemas.token import AccessToken

router = APIRouter(prefix="/auth", tags=["auth"])

LoginForm = Annotated[OAuth2PasswordRequestFormStrict, Depends()]


@router.post("/token", response_model=AccessToken, summary="Log in (password grant)")
async def login(form: LoginForm, db: DbSession) -> dict[str, str]:
    user = await db.scalar(select(User).where(User.username == form.username))
    if user is None or not await password_matches(form.password, user.hashed_password):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
        )
    return {"access_token": encode_token(user.username), "token_type": "bearer"}
