from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, status

from app.api.v1.dependencies import CurrentUser, DbSession
from app.models.note import Note
from app.models.user import User
from app.schemas.note import NoteCreate, NoteReplace, NoteResponse, NoteUpdate
from app.services import notes as note_service

router = APIRouter(prefix="/notes", tags=["notes"])

NoteId = Annotated[int, Path(description="Note identifier")]


async def _get_accessible_note(db: DbSession, user: User, note_id: int) -> Note:
    """The note if the caller owns it or is an admin; otherwise it "does not exist"."""
    note = await note_service.get_note(db, note_id)
    if note is None or not note_service.can_access(user, note):
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="Note not found"
        )
    return note


@router.post(
    "",
    response_model=NoteResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Create a note owned by the caller",
)
async def create_note(data: NoteCreate, user: CurrentUser, db: DbSession) -> Note:
    return await note_service.create_note(db, user, data)


@router.get("", response_model=list[NoteResponse], summary="List the caller's notes")
async def list_my_notes(user: CurrentUser, db: DbSession) -> list[Note]:
    return list(await note_service.list_notes_of(db, user.id))


@router.get("/{note_id}", response_model=NoteResponse, summary="Get a note")
async def get_note(note_id: NoteId, user: CurrentUser, db: DbSession) -> Note:
    return await _get_accessible_note(db, user, note_id)


@router.put("/{note_id}", response_model=NoteResponse, summary="Replace a note")
async def replace_note(
    note_id: NoteId, data: NoteReplace, user: CurrentUser, db: DbSession
) -> Note:
    note = await _get_accessible_note(db, user, note_id)
    return await note_service.replace_note(db, note, data)


@router.patch("/{note_id}", response_model=NoteResponse, summary="Update a note")
async def update_note(
    note_id: NoteId, data: NoteUpdate, user: CurrentUser, db: DbSession
) -> Note:
    note = await _get_accessible_note(db, user, note_id)
    return await note_service.update_note(db, note, data)


@router.delete(
    "/{note_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a note"
)
async def delete_note(note_id: NoteId, user: CurrentUser, db: DbSession) -> None:
    note = await _get_accessible_note(db, user, note_id)
    await note_service.delete_note(db, note)
