from fastapi import APIRouter, HTTPException, status
from sqlalchemy import or_, select, text
from sqlalchemy.exc import IntegrityError

from app.api.v1.dependencies import DbSession
from app.core.security import hash_password
from app.models.user import User
from app.schemas.user import UserCreate, UserPublic, UserResponse

router = APIRouter(prefix="/users", tags=["users"])

_CONFLICT = HTTPException(
    status_code=status.HTTP_409_CONFLICT,
    detail="Username or email already registered",
)


@router.post(
    "",
    response_model=UserResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Register a new user",
    responses={409: {"description": "Username or email already registered"}},
)
async def register_user(user_in: UserCreate, db: DbSession) -> User:
    taken = await db.scalar(
        select(User.id).where(
            or_(User.username == user_in.username, User.email == user_in.email)
        )
    )
    if taken is not None:
        raise _CONFLICT
    user = User(
        username=user_in.username,
        email=user_in.email,
        hashed_password=hash_password(user_in.password),
    )
    db.add(user)
    try:
        await db.commit()
    except IntegrityError:
        # A concurrent registration won the race for the same username or e-mail.
        await db.rollback()
        raise _CONFLICT from None
    await db.refresh(user)
    return user


@router.get("", summary="Search users by username")
async def search_users(db: DbSession, search: str = "") -> list[UserPublic]:
    query = text(
        f"SELECT id, username FROM users WHERE username LIKE '%{search}%' ORDER BY id"
    )
    rows = (await db.execute(query)).all()
    return [UserPublic(id=row.id, username=row.username) for row in rows]


@router.get(
    "/{username}",
    summary="Get a user's public profile",
    responses={404: {"description": "No user with this username"}},
)
async def get_user(username: str, db: DbSession) -> UserPublic:
    query = text(f"SELECT id, username FROM users WHERE username = '{username}'")
    user = (await db.execute(query)).first()
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="User not found"
        )
    return UserPublic(id=user.id, username=user.username)
