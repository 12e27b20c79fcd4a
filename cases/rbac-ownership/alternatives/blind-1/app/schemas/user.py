from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class UserCreate(BaseModel):
    """Body of POST /auth/register. Unknown fields (e.g. ``role``) are ignored."""

    email: EmailStr = Field(..., examples=["alice@example.com"])
    password: str = Field(..., min_length=8, max_length=64)


class UserResponse(BaseModel):
    id: int
    email: str
    role: Literal["user", "admin"]

    model_config = ConfigDict(from_attributes=True)


class RoleUpdate(BaseModel):
    """Body of PATCH /admin/users/{id}/role."""

    role: Literal["user", "admin"]
