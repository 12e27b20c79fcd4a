from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class UserBase(BaseModel):
    email: EmailStr = Field(
        ..., description="User email address", examples=["user@example.com"]
    )


class UserCreate(UserBase):
    password: str = Field(
        ..., min_length=8, max_length=128, description="User password"
    )


class UserResponse(UserBase):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
