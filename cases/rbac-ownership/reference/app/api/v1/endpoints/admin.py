from collections.abc import Sequence

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select

from app.api.v1.dependencies import CurrentAdmin, DbSession
from app.models.note import Note
from app.models.user import User
from app.schemas.note import NoteResponse
from app.schemas.user import RoleUpdate, UserResponse

router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    responses={
        401: {"description": "Not authenticated"},
        403: {"description": "Administrator role required"},
    },
)


@router.get("/users", response_model=list[UserResponse], summary="List all users")
async def list_users(db: DbSession, _admin: CurrentAdmin) -> Sequence[User]:
    result = await db.scalars(select(User).order_by(User.id))
    return result.all()


@router.patch(
    "/users/{user_id}/role",
    response_model=UserResponse,
    summary="Change a user's role",
    responses={404: {"description": "User not found"}},
)
async def change_role(
    user_id: int, role_in: RoleUpdate, db: DbSession, _admin: CurrentAdmin
) -> User:
    user = await db.get(User, user_id)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="User not found"
        )
    user.role = role_in.role
    await db.commit()
    await db.refresh(user)
    return user


@router.get(
    "/notes", response_model=list[NoteResponse], summary="List every user's notes"
)
async def list_all_notes(db: DbSession, _admin: CurrentAdmin) -> Sequence[Note]:
    result = await db.scalars(select(Note).order_by(Note.id))
    return result.all()
