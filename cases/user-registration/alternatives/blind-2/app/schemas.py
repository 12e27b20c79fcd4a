import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 64
# Explicit ASCII classes: \d and str.isdigit() would also accept other scripts' digits.
_HAS_ASCII_LETTER = re.compile(r"[A-Za-z]")
_HAS_ASCII_DIGIT = re.compile(r"[0-9]")


class RegistrationRequest(BaseModel):
    email: EmailStr = Field(
        description="E-mail address (case-insensitive)",
        examples=["alice@example.com"],
    )
    password: str = Field(
        description="8-64 characters, at least one ASCII letter and one digit 0-9",
        examples=["correct-horse-42"],
    )

    @field_validator("email")
    @classmethod
    def lower_case_email(cls, value: str) -> str:
        return value.lower()

    @field_validator("password")
    @classmethod
    def check_password_policy(cls, value: str) -> str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            # e.g. a lone surrogate sent as a JSON escape: not text at all.
            raise ValueError("password must be valid Unicode text") from None
        # len() of a str counts code points, not encoded bytes.
        if not MIN_PASSWORD_CHARS <= len(value) <= MAX_PASSWORD_CHARS:
            raise ValueError(
                f"password must be {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} "
                "characters long"
            )
        if _HAS_ASCII_LETTER.search(value) is None:
            raise ValueError("password must contain at least one ASCII letter")
        if _HAS_ASCII_DIGIT.search(value) is None:
            raise ValueError("password must contain at least one digit 0-9")
        return value


class PublicUser(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    created_at: datetime


class Detail(BaseModel):
    detail: str


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationFailure(BaseModel):
    detail: list[ValidationIssue]
