from fastapi import APIRouter

from app.api.v1.dependencies import DbSession
from app.core.exceptions import UnauthorizedError
from app.core.security import create_access_token, verify_password
from app.repositories.users import get_credentials
from app.schemas.auth import LoginRequest, Token

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", summary="Log in and get an access token")
async def login(credentials: LoginRequest, db: DbSession) -> Token:
    found = await get_credentials(db, credentials.username)
    if found is None or not verify_password(credentials.password, found.password_hash):
        raise UnauthorizedError("Incorrect username or password")
    return Token(access_token=create_access_token(str(found.id)))
