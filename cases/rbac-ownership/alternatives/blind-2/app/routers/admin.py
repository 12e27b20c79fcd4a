from fastapi import APIRouter, Depends, HTTPException, status

from app import crud
from app.deps import DB, require_role
from app.models import Note, Role, User
from app.schemas import NoteOut, RoleChange, UserOut

router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(require_role(Role.ADMIN))],
)


@router.get("/users", response_model=list[UserOut])
def users(db: DB) -> list[User]:
    return crud.all_users(db)


@router.patch("/users/{user_id}/role", response_model=UserOut)
def set_role(user_id: int, body: RoleChange, db: DB) -> User:
    user = crud.change_role(db, user_id, body.role)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="No such user"
        )
    return user


@router.get("/notes", response_model=list[NoteOut])
def notes(db: DB) -> list[Note]:
    return crud.all_notes(db)
