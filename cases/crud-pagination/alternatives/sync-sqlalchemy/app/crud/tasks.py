from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.task import Task
from app.schemas.task import SortKey


def query_tasks(
    session: Session,
    *,
    status: str | None,
    q: str | None,
    sort: SortKey,
    limit: int,
    offset: int,
) -> tuple[list[Task], int]:
    stmt = select(Task)
    if status:
        stmt = stmt.where(Task.status == status)
    if q:
        # instr() does a literal substring search: no LIKE wildcards to escape.
        stmt = stmt.where(func.instr(func.lower(Task.title), q.lower()) > 0)

    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0

    descending = sort.startswith("-")
    column = getattr(Task, sort.removeprefix("-"))
    stmt = stmt.order_by(column.desc() if descending else column, Task.id)
    return list(session.scalars(stmt.offset(offset).limit(limit))), total


def apply_changes(session: Session, task: Task, changes: dict[str, Any]) -> Task:
    for key, value in changes.items():
        setattr(task, key, value)
    session.commit()
    session.refresh(task)
    return task
