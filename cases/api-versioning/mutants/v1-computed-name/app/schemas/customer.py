from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, computed_field


class CustomerCreate(BaseModel):
    name: str = Field(..., min_length=1, max_length=100, examples=["Ada Lovelace"])
    email: EmailStr = Field(..., examples=["ada@example.com"])


class CustomerResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    first_name: str = Field(exclude=True)
    last_name: str = Field(exclude=True)
    email: EmailStr
    created_at: datetime

    @computed_field
    @property
    def name(self) -> str:
        return (
            f"{self.first_name} {self.last_name}" if self.last_name else self.first_name
        )
