import secrets

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select

from app.api.v1.dependencies import DbSession
from app.core.security import create_access_token
from app.models.user import User
from app.schemas.auth import LoginRequest, Token

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", summary="Log in and get an access token")
async def login(credentials: LoginRequest, db: DbSession) -> Token:
    user = await db.scalar(select(User).where(User.username == credentials.username))
    if user is None or not secrets.compare_digest(
        credentials.password.encode(), user.hashed_password.encode()
    ):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Token(access_token=create_access_token(str(user.id)))
