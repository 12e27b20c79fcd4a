from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.task import Task
from app.schemas.task import TaskCreate, TaskSortField, TaskStatus

_SORT_COLUMNS = {"id": Task.id, "title": Task.title, "priority": Task.priority}


class TaskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, task_id: int) -> Task | None:
        return await self.session.get(Task, task_id)

    async def list(
        self,
        *,
        limit: int,
        offset: int,
        status: TaskStatus | None,
        q: str | None,
        sort: TaskSortField,
    ) -> tuple[Sequence[Task], int]:
        conditions = []
        if status is not None:
            conditions.append(Task.status == status.value)
        if q:
            conditions.append(Task.title.ilike(f"%{q}%"))

        total = await self.session.scalar(
            select(func.count()).select_from(Task).where(*conditions)
        )
        column = _SORT_COLUMNS[sort.value.lstrip("-")]
        order = column.desc() if sort.value.startswith("-") else column.asc()
        stmt = select(Task).where(*conditions).order_by(order, Task.id.asc())
        rows = await self.session.scalars(stmt.limit(limit).offset(offset))
        return rows.all(), total or 0

    async def create(self, data: TaskCreate) -> Task:
        task = Task(**data.model_dump())
        self.session.add(task)
        await self.session.commit()
        await self.session.refresh(task)
        return task

    async def update(self, task: Task, changes: dict[str, Any]) -> Task:
        for field, value in changes.items():
            setattr(task, field, value)
        await self.session.commit()
        await self.session.refresh(task)
        return task

    async def delete(self, task: Task) -> None:
        await self.session.delete(task)
        await self.session.commit()
