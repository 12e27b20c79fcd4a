from datetime import UTC, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    field_validator,
)

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 64

_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_DIGITS = frozenset("0123456789")

# EmailStr validates the syntax (email-validator) and lower-cases the domain;
# addresses are case-insensitive here, so the whole address is lower-cased.
LowercaseEmail = Annotated[EmailStr, AfterValidator(lambda value: value.lower())]


class UserBase(BaseModel):
    email: LowercaseEmail = Field(
        ..., description="User e-mail address", examples=["alice@example.com"]
    )


class UserCreate(UserBase):
    password: str = Field(
        ...,
        min_length=PASSWORD_MIN_LENGTH,
        max_length=PASSWORD_MAX_LENGTH,
        description=(
            "8 to 64 characters (any Unicode text), with at least one ASCII "
            "letter and at least one digit 0-9."
        ),
        examples=["correct-horse-42"],
    )

    @field_validator("password")
    @classmethod
    def validate_password_strength(cls, value: str) -> str:
        if not any(char in _ASCII_LETTERS for char in value):
            raise ValueError(
                "password must contain at least one ASCII letter (a-z, A-Z)"
            )
        if not any(char in _ASCII_DIGITS for char in value):
            raise ValueError("password must contain at least one digit (0-9)")
        return value


class UserResponse(BaseModel):
    """Public representation of a user (no credentials)."""

    model_config = ConfigDict(from_attributes=True)

    id: int = Field(..., examples=[1])
    email: str = Field(..., examples=["alice@example.com"])
    created_at: datetime = Field(..., examples=["2025-01-31T12:00:00Z"])

    @field_validator("created_at")
    @classmethod
    def ensure_utc(cls, value: datetime) -> datetime:
        # SQLite does not keep the offset; stored values are UTC.
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ErrorMessage(BaseModel):
    detail: str = Field(
        ..., examples=["A user with this e-mail is already registered."]
    )


class ValidationErrorItem(BaseModel):
    loc: list[str | int] = Field(..., examples=[["body", "password"]])
    msg: str
    type: str


class ValidationErrorResponse(BaseModel):
    detail: list[ValidationErrorItem]
