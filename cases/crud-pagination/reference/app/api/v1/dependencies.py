from typing import Annotated

from fastapi import Depends, HTTPException, Path, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.models.task import Task
from app.services.task_service import TaskRepository

DbSession = Annotated[AsyncSession, Depends(get_db)]
TaskId = Annotated[int, Path(description="Task identifier")]


def get_task_repository(db: DbSession) -> TaskRepository:
    return TaskRepository(db)


Repository = Annotated[TaskRepository, Depends(get_task_repository)]


async def get_task_or_404(repo: TaskRepository, task_id: int) -> Task:
    task = await repo.get(task_id)
    if task is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="Task not found"
        )
    return task
