from app.models.base import Base
from app.models.item import Item
from app.models.user import User

__all__ = ["Base", "Item", "User"]
