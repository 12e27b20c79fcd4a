import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Status = Literal["todo", "in_progress", "done"]
SortKey = Literal["id", "-id", "title", "-title", "priority", "-priority"]

NON_NULLABLE = ("title", "status", "priority")


class TaskIn(BaseModel):
    """Body for POST and PUT."""

    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    status: Status = "todo"
    priority: int = Field(default=3, ge=1, le=5)
    due_date: dt.date | None = None


class TaskPatch(BaseModel):
    """Body for PATCH: any subset of the fields."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    status: Status | None = None
    priority: int | None = Field(default=None, ge=1, le=5)
    due_date: dt.date | None = None

    @model_validator(mode="before")
    @classmethod
    def forbid_null_on_required(cls, data: Any) -> Any:
        if isinstance(data, dict):
            nulls = [k for k in NON_NULLABLE if k in data and data[k] is None]
            if nulls:
                raise ValueError(f"fields cannot be null: {', '.join(nulls)}")
        return data


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    description: str | None
    status: Status
    priority: int
    due_date: dt.date | None
    created_at: dt.datetime


class TaskListOut(BaseModel):
    items: list[TaskOut]
    total: int
    limit: int
    offset: int
