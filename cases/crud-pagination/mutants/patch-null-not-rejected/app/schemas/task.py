from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Title = Annotated[
    str, Field(min_length=1, max_length=200, description="Short task title")
]
Description = Annotated[
    str | None, Field(max_length=2000, description="Free-text details, or null")
]
Priority = Annotated[int, Field(ge=1, le=5, description="1 (lowest) to 5 (highest)")]


class TaskStatus(StrEnum):
    todo = "todo"
    in_progress = "in_progress"
    done = "done"


class TaskSortField(StrEnum):
    id_asc = "id"
    id_desc = "-id"
    title_asc = "title"
    title_desc = "-title"
    priority_asc = "priority"
    priority_desc = "-priority"


class TaskBase(BaseModel):
    title: Title = Field(examples=["Write the release notes"])
    description: Description = None
    status: TaskStatus = TaskStatus.todo
    priority: Priority = 3
    due_date: date | None = None


class TaskCreate(TaskBase):
    """Body of POST: only ``title`` is required."""


class TaskReplace(TaskBase):
    """Body of PUT: omitted fields are reset to their defaults."""


class TaskUpdate(BaseModel):
    """Body of PATCH: every field optional; only the fields sent are applied."""

    title: Title | None = None
    description: Description = None
    status: TaskStatus | None = None
    priority: Priority | None = None
    due_date: date | None = None


class TaskResponse(TaskBase):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime


class TaskPage(BaseModel):
    items: list[TaskResponse]
    total: int = Field(description="Number of tasks matching the filters")
    limit: int
    offset: int
