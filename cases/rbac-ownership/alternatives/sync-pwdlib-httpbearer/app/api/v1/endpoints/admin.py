from collections.abc import Sequence

from fastapi import APIRouter, status
from sqlalchemy import select

from app.api.deps import AdminAccount, SessionDep
from app.models.account import Account
from app.models.note import Note
from app.schemas.account import AccountRead, RoleChange
from app.schemas.error import ErrorOut
from app.schemas.note import NoteOut
from app.services import accounts
from app.services.notes import all_notes

router = APIRouter(prefix="/admin", tags=["admin"])


@router.get("/users", response_model=list[AccountRead], summary="All accounts")
def list_accounts(session: SessionDep, _: AdminAccount) -> Sequence[Account]:
    return session.scalars(select(Account).order_by(Account.id)).all()


@router.patch(
    "/users/{account_id}/role",
    response_model=AccountRead,
    summary="Set a role",
    responses={
        status.HTTP_404_NOT_FOUND: {"model": ErrorOut, "description": "No such account"}
    },
)
def change_role(
    account_id: int, body: RoleChange, session: SessionDep, _: AdminAccount
) -> Account:
    return accounts.set_role(session, account_id, body.role)


@router.get("/notes", response_model=list[NoteOut], summary="All notes")
def list_all_notes(session: SessionDep, _: AdminAccount) -> Sequence[Note]:
    return all_notes(session)
