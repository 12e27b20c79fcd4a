from pydantic import BaseModel, ConfigDict, Field

Title = Field(min_length=1, max_length=200)


class NoteIn(BaseModel):
    title: str = Title
    content: str = Field(default="", max_length=10_000)


class NoteReplace(BaseModel):
    title: str = Title
    content: str = Field(max_length=10_000)


class NotePatch(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    content: str | None = Field(default=None, max_length=10_000)


class NoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    content: str
    owner_id: int
