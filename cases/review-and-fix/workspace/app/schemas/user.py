from datetime import datetime

from pydantic import BaseModel, EmailStr, Field


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
    password: str = Field(
        ..., min_length=8, max_length=72, description="Account password"
    )


class UserResponse(BaseModel):
    id: int
    username: str
    email: EmailStr
    created_at: datetime

    model_config = {"from_attributes": True}


class UserPublic(BaseModel):
    id: int
    username: str

    model_config = {"from_attributes": True}
