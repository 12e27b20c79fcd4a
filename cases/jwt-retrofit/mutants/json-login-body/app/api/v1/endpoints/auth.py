from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel

from app.api.v1.dependencies import DbSession
from app.core.security import create_access_token
from app.schemas.token import Token
from app.services.users import authenticate_user

router = APIRouter(prefix="/auth", tags=["auth"])


class LoginRequest(BaseModel):
    username: str
    password: str


@router.post(
    "/token",
    summary="Log in",
    description="OAuth2 password flow: exchange a username and password for a bearer "
    "token (JWT, HS256) valid for 30 minutes.",
    responses={status.HTTP_401_UNAUTHORIZED: {"description": "Bad credentials"}},
)
async def login_for_access_token(form: LoginRequest, db: DbSession) -> Token:
    user = await authenticate_user(db, form.username, form.password)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Token(access_token=create_access_token(user.username))
