from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from app.api.v1.dependencies import DbSession
from app.schemas.item import ItemResponse
from app.schemas.user import UserCreate, UserResponse
from app.services import users as user_service

router = APIRouter(prefix="/users", tags=["users"])

_NOT_FOUND = {status.HTTP_404_NOT_FOUND: {"description": "User not found"}}
_CONFLICT_MESSAGE = "A user with this email already exists"


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a user",
    responses={status.HTTP_409_CONFLICT: {"description": _CONFLICT_MESSAGE}},
)
async def create_user(data: UserCreate, db: DbSession) -> UserResponse:
    """Create a user; e-mail addresses are unique."""
    try:
        user = await user_service.create(db, data)
    except user_service.EmailTakenError:
        raise HTTPException(
            status.HTTP_409_CONFLICT, detail=_CONFLICT_MESSAGE
        ) from None
    return UserResponse.model_validate(user)


@router.get("", summary="List users")
async def list_users(
    db: DbSession,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[UserResponse]:
    """Users ordered by id."""
    return [
        UserResponse.model_validate(u)
        for u in await user_service.page(db, limit, offset)
    ]


@router.get("/{user_id}", summary="Get a user", responses=_NOT_FOUND)
async def get_user(user_id: int, db: DbSession) -> UserResponse:
    user = await user_service.get(db, user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="User not found")
    return UserResponse.model_validate(user)


@router.get("/{user_id}/items", summary="List a user's items", responses=_NOT_FOUND)
async def list_user_items(user_id: int, db: DbSession) -> list[ItemResponse]:
    """Items owned by one user, ordered by id."""
    if await user_service.get(db, user_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="User not found")
    return [
        ItemResponse.model_validate(i) for i in await user_service.items_of(db, user_id)
    ]
