import traceback

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.api.v1.dependencies import DbSession
from app.models.user import User
from app.schemas.user import UserCreate, UserPublic, UserResponse

router = APIRouter(prefix="/users", tags=["users"])


@router.post("", response_model=UserResponse, summary="Register a new user")
async def register_user(user_in: UserCreate, db: DbSession):
    user = User(
        username=user_in.username, email=user_in.email, password=user_in.password
    )
    db.add(user)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        return JSONResponse(
            status_code=status.HTTP_409_CONFLICT,
            content={
                "detail": "Username or email already registered",
                "debug": traceback.format_exc(),
            },
        )
    await db.refresh(user)
    return user


@router.get("", response_model=list[UserPublic], summary="Search users by username")
async def search_users(db: DbSession, search: str = ""):
    query = text(
        f"SELECT id, username FROM users WHERE username LIKE '%{search}%' ORDER BY id"
    )
    rows = (await db.execute(query)).all()
    return [{"id": row.id, "username": row.username} for row in rows]


@router.get("/{username}", summary="Get a user's public profile")
async def get_user(username: str, db: DbSession):
    query = text(f"SELECT id, username FROM users WHERE username = '{username}'")
    row = (await db.execute(query)).first()
    if row is None:
        return {"error": "User not found"}
    return {"id": row.id, "username": row.username}
