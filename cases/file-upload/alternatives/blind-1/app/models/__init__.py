from app.models.file import StoredFile

__all__ = ["StoredFile"]
