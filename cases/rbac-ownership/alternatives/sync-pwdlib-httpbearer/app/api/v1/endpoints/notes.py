from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, status

from app.api.deps import Notes
from app.models.note import Note
from app.schemas.error import ErrorOut
from app.schemas.note import NoteIn, NoteOut, NotePatch, NoteReplace

router = APIRouter(prefix="/notes", tags=["notes"])

# Someone else's note is reported exactly like a missing one.
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    status.HTTP_404_NOT_FOUND: {"model": ErrorOut, "description": "No such note"}
}


@router.post(
    "",
    response_model=NoteOut,
    status_code=status.HTTP_201_CREATED,
    summary="Create a note",
)
def create(body: NoteIn, notes: Notes) -> Note:
    return notes.create(body.title, body.content)


@router.get("", response_model=list[NoteOut], summary="My notes")
def list_mine(notes: Notes) -> Sequence[Note]:
    return notes.mine()


@router.get(
    "/{note_id}", response_model=NoteOut, summary="Read a note", responses=NOT_FOUND
)
def read(note_id: int, notes: Notes) -> Note:
    return notes.get(note_id)


@router.put(
    "/{note_id}", response_model=NoteOut, summary="Replace a note", responses=NOT_FOUND
)
def replace(note_id: int, body: NoteReplace, notes: Notes) -> Note:
    return notes.update(note_id, body.model_dump())


@router.patch(
    "/{note_id}",
    response_model=NoteOut,
    summary="Partially update a note",
    responses=NOT_FOUND,
)
def patch(note_id: int, body: NotePatch, notes: Notes) -> Note:
    return notes.update(note_id, body.model_dump(exclude_unset=True, exclude_none=True))


@router.delete(
    "/{note_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a note",
    responses=NOT_FOUND,
)
def delete(note_id: int, notes: Notes) -> None:
    notes.delete(note_id)
