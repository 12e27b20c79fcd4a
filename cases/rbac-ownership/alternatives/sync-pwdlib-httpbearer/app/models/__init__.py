from app.models.account import Account
from app.models.note import Note

__all__ = ["Account", "Note"]
