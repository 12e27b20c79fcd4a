from fastapi import APIRouter, Depends, HTTPException, status

from app.api.v1.dependencies import DbSession, require_admin
from app.models.note import Note
from app.models.user import Role, User
from app.schemas.note import NoteResponse
from app.schemas.user import RoleUpdate, UserResponse
from app.services import notes as note_service
from app.services import users as user_service

router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses={403: {"description": "Administrator role required"}},
)


@router.get("/users", response_model=list[UserResponse], summary="List every account")
async def list_users(db: DbSession) -> list[User]:
    return list(await user_service.list_users(db))


@router.patch(
    "/users/{user_id}/role",
    response_model=UserResponse,
    summary="Set an account's role",
)
async def set_user_role(user_id: int, data: RoleUpdate, db: DbSession) -> User:
    user = await user_service.get_user(db, user_id)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="User not found"
        )
    return await user_service.set_role(db, user, Role(data.role))


@router.get("/notes", response_model=list[NoteResponse], summary="List every note")
async def list_all_notes(db: DbSession) -> list[Note]:
    return list(await note_service.list_all_notes(db))
