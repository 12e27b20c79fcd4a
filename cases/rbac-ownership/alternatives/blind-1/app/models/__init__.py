from app.models.note import Note
from app.models.user import Role, User

__all__ = ["Note", "Role", "User"]
