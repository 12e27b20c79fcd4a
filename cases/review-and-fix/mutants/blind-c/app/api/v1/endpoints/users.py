from fastapi import APIRouter, HTTPException, status
from sqlalchemy import func, select

from app.api.v1.dependencies import DbSession
from app.core.security import hash_password
from app.models.user import User
from app.schemas.user import UserCreate, UserPublic, UserResponse

router = APIRouter(prefix="/users", tags=["users"])

ALREADY_REGISTERED = "Username or email already registered"


@router.post(
    "",
    response_model=UserResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Register a new user",
    responses={409: {"description": ALREADY_REGISTERED}},
)
async def register_user(user_in: UserCreate, db: DbSession) -> User:
    taken = await db.scalar(select(User.id).where(User.username == user_in.username))
    if taken is not None:
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT, detail=ALREADY_REGISTERED
        )

    user = User(
        username=user_in.username,
        email=user_in.email,
        hashed_password=hash_password(user_in.password),
    )
    db.add(user)
    await db.commit()
    await db.refresh(user)
    return user


@router.get("", response_model=list[UserPublic], summary="Search users by username")
async def search_users(db: DbSession, search: str = "") -> list[User]:
    stmt = select(User).order_by(User.id)
    if search:
        # Bound parameter (no SQL injection) and autoescape, so that `%`, `_`
        # and the escape character itself are matched literally.
        stmt = stmt.where(
            func.lower(User.username).contains(search.lower(), autoescape=True)
        )
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
