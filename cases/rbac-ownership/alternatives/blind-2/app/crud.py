"""Data access: plain synchronous SQLAlchemy, one function per operation."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Note, Role, User
from app.security import hash_password, verify_password


class DuplicateEmail(Exception):
    pass


# --- users ----------------------------------------------------------------------


def find_user_by_email(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(func.lower(User.email) == email.lower()))


def register_user(db: Session, email: str, password: str) -> User:
    if find_user_by_email(db, email) is not None:
        raise DuplicateEmail(email)
    user = User(
        email=email, password_hash=hash_password(password), role=Role.USER.value
    )
    db.add(user)
    try:
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        raise DuplicateEmail(email) from exc
    db.refresh(user)
    return user


def check_credentials(db: Session, email: str, password: str) -> User | None:
    user = find_user_by_email(db, email)
    ok = verify_password(password, user.password_hash if user else None)
    return user if ok else None


def all_users(db: Session) -> list[User]:
    return list(db.scalars(select(User).order_by(User.id)))


def change_role(db: Session, user_id: int, role: str) -> User | None:
    user = db.get(User, user_id)
    if user is None:
        return None
    user.role = Role(role).value
    db.commit()
    db.refresh(user)
    return user


def ensure_admin(db: Session, email: str, password: str) -> User:
    """Create or promote the seeded administrator; (re)set its password."""
    user = find_user_by_email(db, email)
    if user is None:
        user = User(email=email, password_hash=hash_password(password))
        db.add(user)
    elif not verify_password(password, user.password_hash):
        user.password_hash = hash_password(password)
    user.role = Role.ADMIN.value
    db.commit()
    db.refresh(user)
    return user


# --- notes ----------------------------------------------------------------------


def notes_owned_by(db: Session, owner_id: int) -> list[Note]:
    return list(
        db.scalars(select(Note).where(Note.owner_id == owner_id).order_by(Note.id))
    )


def all_notes(db: Session) -> list[Note]:
    return list(db.scalars(select(Note).order_by(Note.id)))


def visible_note(db: Session, viewer: User, note_id: int) -> Note | None:
    """The note, scoped to its owner unless the viewer is an admin."""
    query = select(Note).where(Note.id == note_id)
    if viewer.role != Role.ADMIN.value:
        query = query.where(Note.owner_id == viewer.id)
    return db.scalar(query)


def add_note(db: Session, owner: User, title: str, content: str) -> Note:
    note = Note(title=title, content=content, owner_id=owner.id)
    db.add(note)
    db.commit()
    db.refresh(note)
    return note


def save_note(db: Session, note: Note, changes: dict[str, str]) -> Note:
    for field in ("title", "content"):
        if field in changes:
            setattr(note, field, changes[field])
    db.commit()
    db.refresh(note)
    return note


def remove_note(db: Session, note: Note) -> None:
    db.delete(note)
    db.commit()
