from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, EmailStr, StringConstraints

FirstName = Annotated[
    str, StringConstraints(min_length=1, max_length=50, pattern=r"^[^\s]+$")
]
LastName = Annotated[str, StringConstraints(max_length=49)]


class CustomerCreateV2(BaseModel):
    first_name: FirstName
    last_name: LastName
    email: EmailStr


class CustomerResponseV2(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    first_name: str
    last_name: Annotated[str, BeforeValidator(lambda v: v or "")]
    email: EmailStr
    created_at: datetime
