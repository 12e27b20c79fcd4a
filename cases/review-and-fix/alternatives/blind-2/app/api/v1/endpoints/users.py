from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.api.v1.dependencies import DbSession
from app.core.security import hash_password
from app.models.user import User
from app.schemas.user import UserCreate, UserPublic, UserResponse

router = APIRouter(prefix="/users", tags=["users"])


@router.post(
    "",
    response_model=UserResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Register a new user",
    responses={409: {"description": "Username or email already registered"}},
)
async def register_user(user_in: UserCreate, db: DbSession) -> User:
    user = User(
        username=user_in.username,
        email=str(user_in.email),
        password_hash=hash_password(user_in.password),
    )
    db.add(user)
    try:
        # The UNIQUE constraints on username and email are the source of truth
        # (also under concurrent registrations).
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT,
            detail="Username or email already registered",
        ) from None
    await db.refresh(user)
    return user


@router.get("", response_model=list[UserPublic], summary="Search users by username")
async def search_users(
    db: DbSession,
    search: Annotated[
        str, Query(description="Case-insensitive substring of the username")
    ] = "",
) -> list[User]:
    stmt = select(User).order_by(User.id)
    if search:
        # instr() is a plain substring test: no LIKE wildcards to escape, and
        # the text is a bound parameter, never part of the SQL.
        needle = search.lower()
        stmt = stmt.where(func.instr(func.lower(User.username), needle) > 0)
    return list((await db.scalars(stmt)).all())


@router.get(
    "/{username}",
    response_model=UserPublic,
    summary="Get a user's public profile",
    responses={404: {"description": "No such user"}},
)
async def get_user(username: str, db: DbSession) -> User:
    user = await db.scalar(select(User).where(User.username == username))
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="User not found"
        )
    return user
