from fastapi import APIRouter, HTTPException, Response, status

from app import crud
from app.deps import DB, Caller
from app.models import Note, User
from app.schemas import NoteIn, NoteOut, NotePatch, NotePut

router = APIRouter(prefix="/notes", tags=["notes"])


def _visible_or_404(db: DB, user: User, note_id: int) -> Note:
    note = crud.visible_note(db, user, note_id)
    if note is None:
        # Same answer for "never existed" and "belongs to someone else".
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Not found")
    return note


@router.post("", status_code=status.HTTP_201_CREATED, response_model=NoteOut)
def create(body: NoteIn, user: Caller, db: DB) -> Note:
    return crud.add_note(db, user, body.title, body.content)


@router.get("", response_model=list[NoteOut])
def list_mine(user: Caller, db: DB) -> list[Note]:
    return crud.notes_owned_by(db, user.id)


@router.get("/{note_id}", response_model=NoteOut)
def read(note_id: int, user: Caller, db: DB) -> Note:
    return _visible_or_404(db, user, note_id)


@router.put("/{note_id}", response_model=NoteOut)
def replace(note_id: int, body: NotePut, user: Caller, db: DB) -> Note:
    note = _visible_or_404(db, user, note_id)
    return crud.save_note(db, note, {"title": body.title, "content": body.content})


@router.patch("/{note_id}", response_model=NoteOut)
def patch(note_id: int, body: NotePatch, user: Caller, db: DB) -> Note:
    note = _visible_or_404(db, user, note_id)
    return crud.save_note(db, note, body.changes())


@router.delete(
    "/{note_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response
)
def delete(note_id: int, user: Caller, db: DB) -> Response:
    note = _visible_or_404(db, user, note_id)
    crud.remove_note(db, note)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
