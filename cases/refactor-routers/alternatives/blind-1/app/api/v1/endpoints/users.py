from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.api.v1.dependencies import DbSession
from app.models.item import Item
from app.models.user import User
from app.schemas.item import ItemResponse
from app.schemas.user import UserCreate, UserResponse

USER_NOT_FOUND = "User not found"
DUPLICATE_EMAIL = "A user with this email already exists"

router = APIRouter(prefix="/users", tags=["users"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a user",
    responses={status.HTTP_409_CONFLICT: {"description": DUPLICATE_EMAIL}},
)
async def create_user(data: UserCreate, db: DbSession) -> UserResponse:
    """Create a user; e-mail addresses are unique."""
    if await db.scalar(select(User.id).where(User.email == data.email)):
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL)
    user = User(email=data.email, full_name=data.full_name)
    db.add(user)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL) from None
    await db.refresh(user)
    return UserResponse.model_validate(user)


@router.get("", summary="List users")
async def list_users(
    db: DbSession,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[UserResponse]:
    """Users ordered by id."""
    rows = await db.scalars(select(User).order_by(User.id).limit(limit).offset(offset))
    return [UserResponse.model_validate(u) for u in rows]


@router.get(
    "/{user_id}",
    summary="Get a user",
    responses={status.HTTP_404_NOT_FOUND: {"description": USER_NOT_FOUND}},
)
async def get_user(user_id: int, db: DbSession) -> UserResponse:
    user = await db.get(User, user_id)
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
    if await db.get(User, user_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=USER_NOT_FOUND)
    rows = await db.scalars(
        select(Item).where(Item.owner_id == user_id).order_by(Item.id)
    )
    return [ItemResponse.model_validate(i) for i in rows]
