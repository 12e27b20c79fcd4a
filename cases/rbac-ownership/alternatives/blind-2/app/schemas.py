from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

Title = Annotated[str, Field(min_length=1, max_length=200)]
Content = Annotated[str, Field(max_length=10000)]
RoleName = Literal["user", "admin"]


# --- accounts -------------------------------------------------------------------


class RegisterRequest(BaseModel):
    """Self-registration. Extra keys such as ``role`` are silently dropped."""

    model_config = ConfigDict(extra="ignore")

    email: EmailStr
    password: Annotated[str, Field(min_length=8, max_length=64)]


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: RoleName


class RoleChange(BaseModel):
    role: RoleName


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"


# --- notes ----------------------------------------------------------------------


class NoteIn(BaseModel):
    """POST body. ``id`` and ``owner_id`` are not fields, so they are ignored."""

    model_config = ConfigDict(extra="ignore")

    title: Title
    content: Content = ""


class NotePut(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: Title
    content: Content


class NotePatch(BaseModel):
    """PATCH body: any subset of title/content; an explicit null is invalid."""

    model_config = ConfigDict(extra="ignore")

    title: Title | None = None
    content: Content | None = None

    @model_validator(mode="before")
    @classmethod
    def reject_nulls(cls, data: Any) -> Any:
        if isinstance(data, dict):
            nulls = [k for k in ("title", "content") if k in data and data[k] is None]
            if nulls:
                raise ValueError(f"{', '.join(nulls)} may be omitted but not null")
        return data

    def changes(self) -> dict[str, str]:
        return self.model_dump(exclude_unset=True, include={"title", "content"})


class NoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    content: str
    owner_id: int
