from datetime import datetime

from pydantic import BaseModel, EmailStr, Field, field_validator

from app.core.security import BCRYPT_MAX_BYTES


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

    @field_validator("password")
    @classmethod
    def password_fits_bcrypt(cls, value: str) -> str:
        if len(value.encode("utf-8")) > BCRYPT_MAX_BYTES:
            raise ValueError(f"password must be at most {BCRYPT_MAX_BYTES} bytes")
        return value


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
