from datetime import datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
)


def _lower(value: str) -> str:
    return value.lower()


def _check_strength(value: str) -> str:
    has_letter = any("a" <= ch.lower() <= "z" for ch in value)
    has_digit = any("0" <= ch <= "9" for ch in value)
    if not (has_letter and has_digit):
        raise ValueError("password needs at least one letter (a-z) and one digit (0-9)")
    return value


NormalisedEmail = Annotated[EmailStr, AfterValidator(_lower)]
Password = Annotated[
    str,
    StringConstraints(min_length=8, max_length=64),
    AfterValidator(_check_strength),
]


class RegistrationRequest(BaseModel):
    email: NormalisedEmail = Field(examples=["alice@example.com"])
    password: Password = Field(examples=["correct-horse-42"])


class PublicUser(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    created_at: datetime


class Problem(BaseModel):
    detail: str
