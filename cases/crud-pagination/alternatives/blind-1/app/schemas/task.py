"""Pydantic schemas for the ``tasks`` resource."""

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


TaskStatus = Literal["todo", "in_progress", "done"]


class TaskSort(str, Enum):
    id_asc = "id"
    id_desc = "-id"
    title_asc = "title"
    title_desc = "-title"
    priority_asc = "priority"
    priority_desc = "-priority"


Title = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="Task title",
        examples=["Write the release notes"],
    ),
]
Description = Annotated[
    str | None,
    Field(max_length=2000, description="Free-text description"),
]
Priority = Annotated[int, Field(ge=1, le=5, description="1 (lowest) to 5 (highest)")]


class TaskWrite(BaseModel):
    """Body of ``POST`` and ``PUT``: omitted fields take their defaults."""

    model_config = ConfigDict(extra="ignore")

    title: Title
    description: Description = None
    status: TaskStatus = "todo"
    priority: Priority = 3
    due_date: date | None = None


class TaskCreate(TaskWrite):
    pass


class TaskReplace(TaskWrite):
    pass


_NON_NULLABLE = ("title", "status", "priority")


class TaskUpdate(BaseModel):
    """Body of ``PATCH``: every field optional, only the fields sent are applied."""

    title: Title | None = None
    description: Description = None
    status: TaskStatus | None = None
    priority: Priority | None = None
    due_date: date | None = None

    @field_validator(*_NON_NULLABLE, mode="before")
    @classmethod
    def _reject_explicit_null(cls, value: Any) -> Any:
        # Field validators only run for values actually present in the body, so
        # an omitted field is fine while an explicit ``null`` is rejected.
        if value is None:
            raise ValueError("this field may not be null")
        return value


class TaskRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    description: str | None
    status: TaskStatus
    priority: int
    due_date: date | None
    created_at: datetime


class TaskPage(BaseModel):
    items: list[TaskRead]
    total: int
    limit: int
    offset: int
