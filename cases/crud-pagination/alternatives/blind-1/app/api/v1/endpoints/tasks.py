from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_db
from app.models.task import Task
from app.schemas.task import (
    TaskCreate,
    TaskPage,
    TaskRead,
    TaskReplace,
    TaskSort,
    TaskStatus,
    TaskUpdate,
)
from app.services import tasks as service

router = APIRouter(prefix="/tasks", tags=["tasks"])

DbSession = Annotated[AsyncSession, Depends(get_db)]

_NOT_FOUND = {
    "description": "Task not found",
    "content": {"application/json": {"example": {"detail": "Task not found"}}},
}


async def _get_or_404(db: AsyncSession, task_id: int) -> Task:
    task = await service.get_task(db, task_id)
    if task is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="Task not found"
        )
    return task


@router.post(
    "",
    response_model=TaskRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a task",
)
async def create_task(payload: TaskCreate, db: DbSession) -> Task:
    return await service.create_task(db, payload.model_dump())


@router.get(
    "",
    response_model=TaskPage,
    summary="List tasks (paginated, filterable, sortable)",
)
async def list_tasks(
    db: DbSession,
    limit: Annotated[
        int, Query(ge=1, le=100, description="Page size (1-100)")
    ] = 20,
    offset: Annotated[
        int, Query(ge=0, description="Number of matching tasks to skip")
    ] = 0,
    status_: Annotated[
        TaskStatus | None,
        Query(alias="status", description="Only tasks with this status"),
    ] = None,
    q: Annotated[
        str | None,
        Query(description="Case-insensitive (ASCII) literal substring of the title"),
    ] = None,
    sort: Annotated[
        TaskSort,
        Query(
            description="id, title or priority; prefix with '-' for descending"
        ),
    ] = TaskSort.id_asc,
) -> TaskPage:
    items, total = await service.list_tasks(
        db, limit=limit, offset=offset, status=status_, q=q, sort=sort
    )
    return TaskPage(
        items=[TaskRead.model_validate(t) for t in items],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/{task_id}",
    response_model=TaskRead,
    summary="Get a task",
    responses={404: _NOT_FOUND},
)
async def get_task(task_id: int, db: DbSession) -> Task:
    return await _get_or_404(db, task_id)


@router.patch(
    "/{task_id}",
    response_model=TaskRead,
    summary="Partially update a task",
    responses={404: _NOT_FOUND},
)
async def patch_task(task_id: int, payload: TaskUpdate, db: DbSession) -> Task:
    task = await _get_or_404(db, task_id)
    changes = payload.model_dump(exclude_unset=True)
    if not changes:
        return task
    return await service.update_task(db, task, changes)


@router.put(
    "/{task_id}",
    response_model=TaskRead,
    summary="Replace a task",
    responses={404: _NOT_FOUND},
)
async def replace_task(task_id: int, payload: TaskReplace, db: DbSession) -> Task:
    task = await _get_or_404(db, task_id)
    # Full replacement: omitted fields are reset to their defaults.
    return await service.update_task(db, task, payload.model_dump())


@router.delete(
    "/{task_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a task",
    responses={404: _NOT_FOUND},
)
async def delete_task(task_id: int, db: DbSession) -> Response:
    task = await _get_or_404(db, task_id)
    await service.delete_task(db, task)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
