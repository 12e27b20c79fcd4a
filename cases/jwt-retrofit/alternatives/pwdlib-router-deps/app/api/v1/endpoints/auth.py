from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, status

from app.api.v1.dependencies import DbSession
from app.core.security import issue_access_token
from app.schemas.auth import TokenResponse
from app.services.auth import check_credentials

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", summary="Issue an access token (OAuth2 password grant)")
async def issue_token(
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    db: DbSession,
) -> TokenResponse:
    user = await check_credentials(db, username, password)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return TokenResponse(access_token=issue_access_token(user.username))
