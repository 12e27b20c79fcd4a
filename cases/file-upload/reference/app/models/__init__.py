from app.models.stored_file import StoredFile

__all__ = ["StoredFile"]
