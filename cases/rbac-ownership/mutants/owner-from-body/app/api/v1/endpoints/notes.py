from collections.abc import Sequence

from fastapi import APIRouter, HTTPException, Response, status
from sqlalchemy import select

from app.api.v1.dependencies import CurrentUser, DbSession
from app.models.note import Note
from app.models.user import Role, User
from app.schemas.note import NoteCreate, NotePatch, NoteReplace, NoteResponse

router = APIRouter(prefix="/notes", tags=["notes"])

NOT_FOUND = {404: {"description": "Note not found (or not yours)"}}


async def get_accessible_note(db: DbSession, note_id: int, user: User) -> Note:
    """The note if ``user`` owns it or is an admin, else 404 (existence hidden)."""
    note = await db.get(Note, note_id)
    if note is None or (note.owner_id != user.id and user.role != Role.ADMIN):
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
async def create_note(
    note_in: NoteCreate, db: DbSession, current_user: CurrentUser
) -> Note:
    note = Note(
        title=note_in.title,
        content=note_in.content,
        owner_id=note_in.owner_id or current_user.id,
    )
    db.add(note)
    await db.commit()
    await db.refresh(note)
    return note


@router.get("", response_model=list[NoteResponse], summary="List the caller's notes")
async def list_notes(db: DbSession, current_user: CurrentUser) -> Sequence[Note]:
    result = await db.scalars(
        select(Note).where(Note.owner_id == current_user.id).order_by(Note.id)
    )
    return result.all()


@router.get(
    "/{note_id}",
    response_model=NoteResponse,
    summary="Read a note",
    responses=NOT_FOUND,
)
async def read_note(note_id: int, db: DbSession, current_user: CurrentUser) -> Note:
    return await get_accessible_note(db, note_id, current_user)


@router.put(
    "/{note_id}",
    response_model=NoteResponse,
    summary="Replace a note",
    responses=NOT_FOUND,
)
async def replace_note(
    note_id: int, note_in: NoteReplace, db: DbSession, current_user: CurrentUser
) -> Note:
    note = await get_accessible_note(db, note_id, current_user)
    note.title = note_in.title
    note.content = note_in.content
    await db.commit()
    await db.refresh(note)
    return note


@router.patch(
    "/{note_id}",
    response_model=NoteResponse,
    summary="Update a note",
    responses=NOT_FOUND,
)
async def update_note(
    note_id: int, note_in: NotePatch, db: DbSession, current_user: CurrentUser
) -> Note:
    note = await get_accessible_note(db, note_id, current_user)
    for field, value in note_in.model_dump(
        exclude_unset=True, exclude_none=True
    ).items():
        setattr(note, field, value)
    await db.commit()
    await db.refresh(note)
    return note


@router.delete(
    "/{note_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a note",
    responses=NOT_FOUND,
)
async def delete_note(
    note_id: int, db: DbSession, current_user: CurrentUser
) -> Response:
    note = await get_accessible_note(db, note_id, current_user)
    await db.delete(note)
    await db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
