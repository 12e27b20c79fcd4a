from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.exceptions import NotFoundError
from app.models.account import ROLE_ADMIN, Account
from app.models.note import Note


class NoteRepository:
    """Note access scoped to one caller: owners see theirs, admins see everything."""

    def __init__(self, session: Session, caller: Account) -> None:
        self.session = session
        self.caller = caller

    def create(self, title: str, content: str) -> Note:
        note = Note(title=title, content=content, owner_id=self.caller.id)
        self.session.add(note)
        self.session.commit()
        return note

    def mine(self) -> Sequence[Note]:
        query = select(Note).where(Note.owner_id == self.caller.id).order_by(Note.id)
        return self.session.scalars(query).all()

    def get(self, note_id: int) -> Note:
        query = select(Note).where(Note.id == note_id)
        if self.caller.role != ROLE_ADMIN:
            query = query.where(Note.owner_id == self.caller.id)
        note = self.session.scalars(query).first()
        if note is None:
            raise NotFoundError("Note")
        return note

    def update(self, note_id: int, changes: dict[str, str]) -> Note:
        note = self.get(note_id)
        for field in ("title", "content"):
            if field in changes:
                setattr(note, field, changes[field])
        self.session.commit()
        return note

    def delete(self, note_id: int) -> None:
        self.session.delete(self.get(note_id))
        self.session.commit()


def all_notes(session: Session) -> Sequence[Note]:
    return session.scalars(select(Note).order_by(Note.id)).all()
