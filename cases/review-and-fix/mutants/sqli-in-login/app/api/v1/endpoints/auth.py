from fastapi import APIRouter, HTTPException, status
from sqlalchemy import text

from app.api.v1.dependencies import DbSession
from app.core.security import create_access_token, verify_password
from app.schemas.auth import LoginRequest, Token

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", summary="Log in and get an access token")
async def login(credentials: LoginRequest, db: DbSession) -> Token:
    query = text(
        "SELECT id, hashed_password FROM users "
        f"WHERE username = '{credentials.username}'"
    )
    user = (await db.execute(query)).first()
    stored = user.hashed_password if user is not None else None
    if not verify_password(credentials.password, stored) or user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Token(access_token=create_access_token(str(user.id)))
