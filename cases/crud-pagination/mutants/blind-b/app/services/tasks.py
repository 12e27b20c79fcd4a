"""Data access for tasks (repository-style helpers)."""

from typing import Any

from sqlalchemy import asc, desc, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.task import Task
from app.schemas.task import TaskSort, TaskStatus

# SQLite stores signed 64-bit integers; larger ids cannot exist.
_MAX_ID = 2**63 - 1

_SORT_COLUMNS = {
    "id": Task.id,
    "title": Task.title,
    "priority": Task.priority,
}


async def get_task(db: AsyncSession, task_id: int) -> Task | None:
    if not (-_MAX_ID - 1 <= task_id <= _MAX_ID):
        return None
    return await db.get(Task, task_id)


async def create_task(db: AsyncSession, data: dict[str, Any]) -> Task:
    task = Task(**data)
    db.add(task)
    await db.commit()
    await db.refresh(task)
    return task


async def update_task(db: AsyncSession, task: Task, data: dict[str, Any]) -> Task:
    for field, value in data.items():
        setattr(task, field, value)
    await db.commit()
    await db.refresh(task)
    return task


async def delete_task(db: AsyncSession, task: Task) -> None:
    await db.delete(task)
    await db.commit()


async def list_tasks(
    db: AsyncSession,
    *,
    limit: int,
    offset: int,
    status: TaskStatus | None,
    q: str | None,
    sort: TaskSort,
) -> tuple[list[Task], int]:
    conditions = []
    if status is not None:
        conditions.append(Task.status == status)
    if q:
        # Literal, ASCII-case-insensitive substring match: autoescape neutralises
        # LIKE wildcards (% and _) in the user's text; SQLite's lower() only
        # folds ASCII letters.
        conditions.append(Task.title.icontains(q, autoescape=True))

    total = await db.scalar(select(func.count()).select_from(Task).where(*conditions))
    total = int(total or 0)

    if offset >= total:
        # Past the end: nothing to fetch (also avoids overflowing SQLite's OFFSET).
        return [], total

    key = sort.value
    descending = key.startswith("-")
    column = _SORT_COLUMNS[key.lstrip("-")]
    direction = desc if descending else asc
    order = [direction(column)]
    if column is not Task.id:
        order.append(direction(Task.id))  # ties: by id

    stmt = select(Task).where(*conditions).order_by(*order).limit(limit).offset(offset)
    result = await db.scalars(stmt)
    return list(result.all()), total
