from datetime import date, datetime
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Status(str, Enum):
    todo = "todo"
    in_progress = "in_progress"
    done = "done"


TitleStr = Annotated[str, Field(min_length=1, max_length=200)]
DescriptionStr = Annotated[str, Field(max_length=2000)]
PriorityInt = Annotated[int, Field(ge=1, le=5)]


class TaskIn(BaseModel):
    """Body for POST (create) and PUT (full replacement)."""

    title: TitleStr
    description: DescriptionStr | None = None
    status: Status = Status.todo
    priority: PriorityInt = 3
    due_date: date | None = None

    def to_columns(self) -> dict:
        return {
            "title": self.title,
            "description": self.description,
            "status": Status(self.status).value,
            "priority": self.priority,
            "due_date": self.due_date,
        }


class TaskPatch(BaseModel):
    """Body for PATCH.

    ``title``, ``status`` and ``priority`` are typed as non-nullable: they may
    be omitted (the ``None`` default is only a marker and is never validated)
    but an explicit ``null`` fails validation. ``description`` and
    ``due_date`` accept ``null`` to clear them.
    """

    title: TitleStr = Field(default=None)
    description: DescriptionStr | None = None
    status: Status = Field(default=None)
    priority: PriorityInt = Field(default=None)
    due_date: date | None = None

    def changes(self) -> dict:
        data = self.model_dump(exclude_unset=True)
        if "status" in data:
            data["status"] = Status(data["status"]).value
        return data


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    description: str | None
    status: Status
    priority: int
    due_date: date | None
    created_at: datetime


class TaskListParams(BaseModel):
    """Query parameters of ``GET /api/v1/tasks``."""

    limit: int = Field(20, ge=1, le=100, description="Page size, 1 to 100")
    offset: int = Field(0, ge=0, description="Number of matching tasks to skip")
    status: Status | None = Field(None, description="Only tasks with this status")
    q: str | None = Field(
        None, description="Literal substring of the title, ASCII case-insensitive"
    )
    sort: str = Field(
        "id",
        pattern=r"^-?(id|title|priority)$",
        description="id, title or priority; prefix '-' for descending",
    )


class TaskList(BaseModel):
    items: list[TaskOut]
    total: int
    limit: int
    offset: int
