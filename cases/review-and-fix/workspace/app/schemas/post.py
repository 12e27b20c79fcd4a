from datetime import datetime

from pydantic import BaseModel, Field


class PostCreate(BaseModel):
    title: str = Field(..., min_length=1, max_length=200, examples=["Hello world"])
    content: str = Field(..., min_length=1, examples=["My first post."])


class PostResponse(BaseModel):
    id: int
    title: str
    content: str
    author_id: int
    created_at: datetime

    model_config = {"from_attributes": True}
