from app.models.task import Task

__all__ = ["Task"]
