from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.note import Note
from app.models.user import Role, User
from app.schemas.note import NoteCreate, NoteReplace, NoteUpdate


def can_access(user: User, note: Note) -> bool:
    """Owners see their notes; admins moderate every note."""
    return note.owner_id == user.id or user.role == Role.ADMIN.value


async def get_note(session: AsyncSession, note_id: int) -> Note | None:
    return await session.get(Note, note_id)


async def list_notes_of(session: AsyncSession, owner_id: int) -> Sequence[Note]:
    result = await session.scalars(
        select(Note).where(Note.owner_id == owner_id).order_by(Note.id)
    )
    return result.all()


async def list_all_notes(session: AsyncSession) -> Sequence[Note]:
    return (await session.scalars(select(Note).order_by(Note.id))).all()


async def create_note(session: AsyncSession, owner: User, data: NoteCreate) -> Note:
    note = Note(title=data.title, content=data.content, owner_id=owner.id)
    session.add(note)
    await session.commit()
    await session.refresh(note)
    return note


async def replace_note(session: AsyncSession, note: Note, data: NoteReplace) -> Note:
    note.title = data.title
    note.content = data.content
    await session.commit()
    await session.refresh(note)
    return note


async def update_note(session: AsyncSession, note: Note, data: NoteUpdate) -> Note:
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(note, field, value)
    await session.commit()
    await session.refresh(note)
    return note


async def delete_note(session: AsyncSession, note: Note) -> None:
    await session.delete(note)
    await session.commit()
