from pydantic import BaseModel, ConfigDict, EmailStr, Field

from app.models.user import Role


class UserBase(BaseModel):
    email: EmailStr = Field(
        ..., description="User email address", examples=["ada@example.com"]
    )


class UserCreate(UserBase):
    """Registration body. Unknown fields such as ``role`` are ignored."""

    password: str = Field(..., min_length=8, max_length=64, description="User password")
    role: Role = Field(default=Role.USER, description="Account role")


class UserResponse(UserBase):
    model_config = ConfigDict(from_attributes=True)

    id: int
    role: Role


class RoleUpdate(BaseModel):
    role: Role = Field(..., description="The new role", examples=["admin"])
