from app.models.post import Post
from app.models.user import User

__all__ = ["Post", "User"]
