from app.models.upload import Upload

__all__ = ["Upload"]
