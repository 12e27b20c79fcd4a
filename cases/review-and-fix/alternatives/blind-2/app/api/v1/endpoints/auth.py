from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select

from app.api.v1.dependencies import DbSession
from app.core.security import DUMMY_PASSWORD_HASH, create_access_token, verify_password
from app.models.user import User
from app.schemas.auth import LoginRequest, Token

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/login",
    summary="Log in and get an access token",
    responses={401: {"description": "Unknown user or wrong password"}},
)
async def login(credentials: LoginRequest, db: DbSession) -> Token:
    user = await db.scalar(select(User).where(User.username == credentials.username))
    stored_hash = user.password_hash if user is not None else DUMMY_PASSWORD_HASH
    password_ok = verify_password(credentials.password, stored_hash)
    if user is None or not password_ok:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Token(access_token=create_access_token(str(user.id)))
