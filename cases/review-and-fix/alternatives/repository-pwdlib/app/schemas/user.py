from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field


def _fits_bcrypt(value: str) -> str:
    if len(value.encode("utf-8")) > 72:
        raise ValueError("password must be at most 72 bytes")
    return value


Password = Annotated[
    str,
    Field(min_length=8, max_length=72, description="Account password"),
    AfterValidator(_fits_bcrypt),
]


class UserCreate(BaseModel):
    username: str = Field(
        ...,
        min_length=3,
        max_length=30,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="Public handle, unique",
        examples=["alice"],
    )
    email: EmailStr = Field(
        ..., description="Contact address, unique", examples=["alice@example.com"]
    )
    password: Password


class UserResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    email: EmailStr
    created_at: datetime


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
