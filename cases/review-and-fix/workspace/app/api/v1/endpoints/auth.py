from fastapi import APIRouter, HTTPException, status
from sqlalchemy import text

from app.api.v1.dependencies import DbSession
from app.core.security import create_access_token
from app.schemas.auth import LoginRequest, Token

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", summary="Log in and get an access token")
async def login(credentials: LoginRequest, db: DbSession) -> Token:
    query = text(
        f"SELECT id FROM users WHERE username = '{credentials.username}' "
        f"AND password = '{credentials.password}'"
    )
    row = (await db.execute(query)).first()
    if row is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Token(access_token=create_access_token(str(row.id)))
