from pydantic import BaseModel, ConfigDict, Field, field_validator

TITLE_FIELD = Field(..., min_length=1, max_length=200, examples=["Groceries"])
CONTENT_MAX = 10000


class NoteCreate(BaseModel):
    """Body of POST /notes. ``id`` / ``owner_id`` in the body are ignored."""

    title: str = TITLE_FIELD
    content: str = Field(default="", max_length=CONTENT_MAX)


class NoteReplace(BaseModel):
    """Body of PUT /notes/{id}: both fields are required."""

    title: str = TITLE_FIELD
    content: str = Field(..., max_length=CONTENT_MAX)


class NoteUpdate(BaseModel):
    """Body of PATCH /notes/{id}: only the fields sent are changed."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    content: str | None = Field(default=None, max_length=CONTENT_MAX)

    @field_validator("title", "content")
    @classmethod
    def not_null(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("may be omitted but not null")
        return value


class NoteResponse(BaseModel):
    id: int
    title: str
    content: str
    owner_id: int

    model_config = ConfigDict(from_attributes=True)
