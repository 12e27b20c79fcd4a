from fastapi import APIRouter, HTTPException, status
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

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
    taken = await db.scalar(
        select(User.id).where(
            or_(User.username == user_in.username, User.email == user_in.email)
        )
    )
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
    try:
        await db.commit()
    except IntegrityError:
        # Lost a race with a concurrent registration of the same username/email.
        await db.rollback()
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT, detail=ALREADY_REGISTERED
        ) from None
    await db.refresh(user)
    return user


@router.get("", response_model=list[UserPublic], summary="Search users by username")
async def search_users(db: DbSession, search: str = "") -> list[User]:
    stmt = select(User).order_by(User.id)
    if search:
        # Bound parameter (no SQL injection); a literal "%" in the search text
        # is escaped so it cannot act as a wildcard.
        pattern = "%" + search.lower().replace("%", "\\%") + "%"
        stmt = stmt.where(func.lower(User.username).like(pattern, escape="\\"))
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
