from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from sqlalchemy.orm import Session

from app.core.db import get_session
from app.crud.tasks import apply_changes, query_tasks
from app.models.task import Task
from app.schemas.task import SortKey, Status, TaskIn, TaskListOut, TaskOut, TaskPatch

router = APIRouter(prefix="/tasks", tags=["tasks"])

SessionDep = Annotated[Session, Depends(get_session)]


@dataclass
class PageParams:
    limit: Annotated[int, Query(ge=1, le=100)] = 20
    offset: Annotated[int, Query(ge=0)] = 0


def load_task(task_id: int, session: SessionDep) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise HTTPException(404, detail="Task not found")
    return task


TaskDep = Annotated[Task, Depends(load_task)]

# Every route that loads a task by id can answer 404; say so in the OpenAPI document.
TASK_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No task has this id"}
}


@router.get("", summary="List tasks (paginated)")
def list_tasks(
    session: SessionDep,
    page: Annotated[PageParams, Depends()],
    status: Status | None = None,
    q: str | None = None,
    sort: SortKey = "id",
) -> TaskListOut:
    rows, total = query_tasks(
        session, status=status, q=q, sort=sort, limit=page.limit, offset=page.offset
    )
    return TaskListOut(
        items=[TaskOut.model_validate(r) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post("", status_code=201, summary="Create a task")
def create_task(body: TaskIn, session: SessionDep) -> TaskOut:
    task = Task(**body.model_dump())
    session.add(task)
    session.commit()
    session.refresh(task)
    return TaskOut.model_validate(task)


@router.get("/{task_id}", responses=TASK_NOT_FOUND, summary="Fetch one task")
def read_task(task_id: int, task: TaskDep) -> TaskOut:
    return TaskOut.model_validate(task)


@router.patch(
    "/{task_id}", responses=TASK_NOT_FOUND, summary="Update some fields of a task"
)
def patch_task(
    task_id: int, body: TaskPatch, task: TaskDep, session: SessionDep
) -> TaskOut:
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    return TaskOut.model_validate(apply_changes(session, task, changes))


@router.put("/{task_id}", responses=TASK_NOT_FOUND, summary="Replace a task")
def put_task(task_id: int, body: TaskIn, task: TaskDep, session: SessionDep) -> TaskOut:
    return TaskOut.model_validate(apply_changes(session, task, body.model_dump()))


@router.delete(
    "/{task_id}",
    status_code=204,
    response_class=Response,
    responses=TASK_NOT_FOUND,
    summary="Delete a task",
)
def delete_task(task_id: int, task: TaskDep, session: SessionDep) -> Response:
    session.delete(task)
    session.commit()
    return Response(status_code=204)
