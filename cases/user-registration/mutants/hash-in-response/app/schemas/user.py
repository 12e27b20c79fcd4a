"""Request and response schemas for users."""

import re
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 64


class UserBase(BaseModel):
    email: EmailStr = Field(
        ..., description="User email address", examples=["user@example.com"]
    )

    @field_validator("email")
    @classmethod
    def normalise_email(cls, value: str) -> str:
        """E-mail addresses are case-insensitive: keep one lower-case form."""
        return value.strip().lower()


class UserCreate(UserBase):
    password: str = Field(
        ...,
        min_length=PASSWORD_MIN_LENGTH,
        max_length=PASSWORD_MAX_LENGTH,
        description="8-64 characters with at least one letter and one digit",
        examples=["correct-horse-42"],
    )

    @field_validator("password")
    @classmethod
    def validate_password_strength(cls, value: str) -> str:
        if not re.search(r"[A-Za-z]", value):
            raise ValueError("Password must contain at least one letter")
        if not re.search(r"[0-9]", value):
            raise ValueError("Password must contain at least one digit")
        return value


class UserResponse(UserBase):
    id: int = Field(..., description="User identifier", examples=[1])
    created_at: datetime = Field(..., description="Registration time (UTC)")

    model_config = ConfigDict(from_attributes=True)

    @field_validator("created_at")
    @classmethod
    def assume_utc(cls, value: datetime) -> datetime:
        # SQLite drops the offset; values are written in UTC.
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class ErrorResponse(BaseModel):
    detail: str = Field(..., examples=["A user with this email already exists"])


class UserInDB(UserResponse):
    hashed_password: str
