from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, computed_field


class CustomerCreate(BaseModel):
    name: str = Field(..., min_length=1, max_length=100, examples=["Ada Lovelace"])
    email: EmailStr = Field(..., examples=["ada@example.com"])


class CustomerResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: EmailStr
    created_at: datetime

    # Additive, backward-compatible: v1 clients simply ignore the new fields.
    @computed_field
    @property
    def first_name(self) -> str:
        return self.name.partition(" ")[0]

    @computed_field
    @property
    def last_name(self) -> str:
        return self.name.partition(" ")[2]
