from fastapi import APIRouter

from app.api.v1.dependencies import CurrentUser
from app.models.user import User
from app.schemas.user import UserResponse

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserResponse, summary="The caller's account")
async def read_me(user: CurrentUser) -> User:
    return user
