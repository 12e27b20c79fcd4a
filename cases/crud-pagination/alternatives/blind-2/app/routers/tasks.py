from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.database import get_session
from app.models import Task
from app.schemas import TaskIn, TaskList, TaskListParams, TaskOut, TaskPatch

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])

SessionDep = Annotated[Session, Depends(get_session)]

SQLITE_INT_MIN, SQLITE_INT_MAX = -(2**63), 2**63 - 1

_ASCII_LOWER = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
)

_ORDERINGS = {
    "id": (Task.id.asc(),),
    "-id": (Task.id.desc(),),
    "title": (Task.title.asc(), Task.id.asc()),
    "-title": (Task.title.desc(), Task.id.asc()),
    "priority": (Task.priority.asc(), Task.id.asc()),
    "-priority": (Task.priority.desc(), Task.id.asc()),
}

NOT_FOUND_DOC = {404: {"description": "Task not found"}}


def load_task(task_id: int, session: SessionDep) -> Task:
    """Dependency: the task addressed by the path, or 404."""
    task = None
    if SQLITE_INT_MIN <= task_id <= SQLITE_INT_MAX:
        task = session.get(Task, task_id)
    if task is None:
        raise HTTPException(status_code=404, detail="Task not found")
    return task


TaskDep = Annotated[Task, Depends(load_task)]


@router.get("", response_model=TaskList, summary="List tasks")
def list_tasks(
    params: Annotated[TaskListParams, Query()], session: SessionDep
) -> TaskList:
    filters = []
    if params.status is not None:
        filters.append(Task.status == params.status.value)
    if params.q:
        # instr() is a plain substring search (no wildcards); fold ASCII letters
        # only on both sides, as SQLite's lower() does.
        needle = params.q.translate(_ASCII_LOWER)
        filters.append(func.instr(func.lower(Task.title), needle) > 0)

    total = session.scalar(select(func.count(Task.id)).where(*filters)) or 0
    items: list[Task] = []
    if params.offset < total:
        stmt = (
            select(Task)
            .where(*filters)
            .order_by(*_ORDERINGS[params.sort])
            .limit(params.limit)
            .offset(params.offset)
        )
        items = list(session.scalars(stmt))
    return TaskList(
        items=[TaskOut.model_validate(t) for t in items],
        total=total,
        limit=params.limit,
        offset=params.offset,
    )


@router.post("", response_model=TaskOut, status_code=201, summary="Create a task")
def create_task(body: TaskIn, session: SessionDep) -> Task:
    task = Task(**body.to_columns())
    session.add(task)
    session.commit()
    session.refresh(task)
    return task


@router.get(
    "/{task_id}", response_model=TaskOut, summary="Get a task", responses=NOT_FOUND_DOC
)
def read_task(task: TaskDep) -> Task:
    return task


@router.patch(
    "/{task_id}",
    response_model=TaskOut,
    summary="Update some fields of a task",
    responses=NOT_FOUND_DOC,
)
def patch_task(body: TaskPatch, task: TaskDep, session: SessionDep) -> Task:
    changes = body.changes()
    if changes:
        for name, value in changes.items():
            setattr(task, name, value)
        session.commit()
        session.refresh(task)
    return task


@router.put(
    "/{task_id}",
    response_model=TaskOut,
    summary="Replace a task",
    responses=NOT_FOUND_DOC,
)
def replace_task(body: TaskIn, task: TaskDep, session: SessionDep) -> Task:
    for name, value in body.to_columns().items():
        setattr(task, name, value)
    session.commit()
    session.refresh(task)
    return task


@router.delete(
    "/{task_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a task",
    responses=NOT_FOUND_DOC,
)
def delete_task(task: TaskDep, session: SessionDep) -> Response:
    session.delete(task)
    session.commit()
    return Response(status_code=204)
