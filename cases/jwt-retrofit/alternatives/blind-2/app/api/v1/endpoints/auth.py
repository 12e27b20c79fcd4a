from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, status

from app.api.v1.dependencies import AuthConfig, DbSession
from app.core.security import create_access_token
from app.schemas.auth import TokenResponse
from app.services.users import authenticate

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/token",
    response_model=TokenResponse,
    summary="OAuth2 password grant",
    responses={401: {"description": "Wrong username or password"}},
)
async def issue_token(
    username: Annotated[str, Form()],
    password: Annotated[str, Form(json_schema_extra={"format": "password"})],
    db: DbSession,
    auth: AuthConfig,
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
    scope: Annotated[str, Form()] = "",
) -> TokenResponse:
    user = await authenticate(db, username, password)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return TokenResponse(access_token=create_access_token(user.username, auth))
