from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.api.v1.dependencies import Repository, TaskId, get_task_or_404
from app.schemas.task import (
    TaskCreate,
    TaskPage,
    TaskReplace,
    TaskResponse,
    TaskSortField,
    TaskStatus,
    TaskUpdate,
)

router = APIRouter(prefix="/tasks", tags=["tasks"])

NOT_FOUND = {404: {"description": "Task not found"}}

Limit = Annotated[int, Query(ge=1, le=100, description="Page size (1-100)")]
Offset = Annotated[int, Query(ge=0, description="Matching tasks to skip")]
StatusFilter = Annotated[
    TaskStatus | None, Query(alias="status", description="Only this status")
]
Search = Annotated[str | None, Query(description="Case-insensitive title substring")]
Sort = Annotated[TaskSortField, Query(description="Sort key; '-' prefix = descending")]


@router.get("", summary="List tasks")
async def list_tasks(
    repo: Repository,
    limit: Limit = 20,
    offset: Offset = 0,
    status_filter: StatusFilter = None,
    q: Search = None,
    sort: Sort = TaskSortField.id_asc,
) -> TaskPage:
    items, total = await repo.list(
        limit=limit, offset=offset, status=status_filter, q=q, sort=sort
    )
    return TaskPage(
        items=[TaskResponse.model_validate(t) for t in items],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a task")
async def create_task(payload: TaskCreate, repo: Repository) -> TaskResponse:
    task = await repo.create(payload)
    return TaskResponse.model_validate(task)


@router.get("/{task_id}", responses=NOT_FOUND, summary="Get a task")
async def get_task(task_id: TaskId, repo: Repository) -> TaskResponse:
    task = await get_task_or_404(repo, task_id)
    return TaskResponse.model_validate(task)


@router.patch("/{task_id}", responses=NOT_FOUND, summary="Partially update a task")
async def update_task(
    task_id: TaskId, payload: TaskUpdate, repo: Repository
) -> TaskResponse:
    task = await get_task_or_404(repo, task_id)
    task = await repo.update(task, payload.model_dump())
    return TaskResponse.model_validate(task)


@router.put("/{task_id}", responses=NOT_FOUND, summary="Replace a task")
async def replace_task(
    task_id: TaskId, payload: TaskReplace, repo: Repository
) -> TaskResponse:
    task = await get_task_or_404(repo, task_id)
    task = await repo.update(task, payload.model_dump())
    return TaskResponse.model_validate(task)


@router.delete(
    "/{task_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=NOT_FOUND,
    summary="Delete a task",
)
async def delete_task(task_id: TaskId, repo: Repository) -> None:
    task = await get_task_or_404(repo, task_id)
    await repo.delete(task)
