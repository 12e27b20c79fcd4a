from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from app.core.database import DbSession
from app.core.messages import DUPLICATE_EMAIL, USER_NOT_FOUND
from app.schemas.item import ItemResponse
from app.schemas.user import UserCreate, UserResponse
from app.services import users as user_service

router = APIRouter(prefix="/users", tags=["users"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a user",
    responses={status.HTTP_409_CONFLICT: {"description": DUPLICATE_EMAIL}},
)
async def create_user(data: UserCreate, db: DbSession) -> UserResponse:
    """Create a user; e-mail addresses are unique."""
    try:
        user = await user_service.create_user(db, data)
    except user_service.DuplicateEmailError:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL) from None
    return UserResponse.model_validate(user)


@router.get("", summary="List users")
async def list_users(
    db: DbSession,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[UserResponse]:
    """Users ordered by id."""
    rows = await user_service.list_users(db, limit, offset)
    return [UserResponse.model_validate(u) for u in rows]


@router.get(
    "/{user_id}",
    summary="Get a user",
    responses={status.HTTP_404_NOT_FOUND: {"description": USER_NOT_FOUND}},
)
async def get_user(user_id: int, db: DbSession) -> UserResponse:
    user = await user_service.get_user(db, user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=USER_NOT_FOUND)
    return UserResponse.model_validate(user)


@router.get(
    "/{user_id}/items",
    summary="List a user's items",
    responses={status.HTTP_404_NOT_FOUND: {"description": USER_NOT_FOUND}},
)
async def list_user_items(user_id: int, db: DbSession) -> list[ItemResponse]:
    """Items owned by one user, ordered by id."""
    if await user_service.get_user(db, user_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=USER_NOT_FOUND)
    rows = await user_service.list_items_of(db, user_id)
    return [ItemResponse.model_validate(i) for i in rows]
