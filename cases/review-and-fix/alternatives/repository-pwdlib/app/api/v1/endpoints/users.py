from fastapi import APIRouter, status
from sqlalchemy.exc import IntegrityError

from app.api.v1.dependencies import DbSession
from app.core.exceptions import ConflictError, NotFoundError
from app.core.security import hash_password
from app.models.user import User
from app.repositories import users as repo
from app.schemas.user import UserCreate, UserPublic, UserResponse

router = APIRouter(prefix="/users", tags=["users"])


@router.post(
    "",
    response_model=UserResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Register a new user",
)
async def register_user(user_in: UserCreate, db: DbSession) -> User:
    user = User(
        username=user_in.username,
        email=user_in.email,
        password_hash=hash_password(user_in.password),
    )
    db.add(user)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise ConflictError("Username or email already registered") from None
    await db.refresh(user)
    return user


@router.get("", response_model=list[UserPublic], summary="Search users by username")
async def search_users(db: DbSession, search: str = "") -> list[repo.PublicUser]:
    return await repo.search_users(db, search)


@router.get(
    "/{username}",
    response_model=UserPublic,
    summary="Get a public profile",
    responses={404: {"description": "No user with this username"}},
)
async def get_user(username: str, db: DbSession) -> repo.PublicUser:
    user = await repo.get_public_user(db, username)
    if user is None:
        raise NotFoundError("User not found")
    return user
