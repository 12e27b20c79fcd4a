from pydantic import BaseModel, ConfigDict, Field


class NoteBase(BaseModel):
    title: str = Field(..., min_length=1, max_length=200, examples=["Groceries"])
    content: str = Field(default="", max_length=10_000, examples=["eggs, milk"])


class NoteCreate(NoteBase):
    pass


class NoteReplace(NoteBase):
    content: str = Field(..., max_length=10_000)


class NotePatch(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    content: str | None = Field(default=None, max_length=10_000)


class NoteResponse(NoteBase):
    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
