"""API v2 customer schemas: the name is split into first and last name."""

from datetime import datetime

from pydantic import BaseModel, EmailStr, Field

from app.models.customer import Customer
from app.services.customers import split_name


class CustomerV2Base(BaseModel):
    first_name: str = Field(
        ...,
        min_length=1,
        max_length=50,
        pattern=r"^\S+$",
        description="Given name; a single word without whitespace",
        examples=["Ada"],
    )
    last_name: str = Field(
        ...,
        max_length=49,
        description="Everything after the first name; may be empty",
        examples=["Lovelace"],
    )


class CustomerV2Create(CustomerV2Base):
    email: EmailStr = Field(..., examples=["ada@example.com"])


class CustomerV2Response(BaseModel):
    id: int
    first_name: str
    last_name: str
    email: EmailStr
    created_at: datetime

    @classmethod
    def from_model(cls, customer: Customer) -> "CustomerV2Response":
        first_name, last_name = split_name(customer.name)
        return cls(
            id=customer.id,
            first_name=first_name,
            last_name=last_name,
            email=customer.email,
            created_at=customer.created_at,
        )


class CustomerV2Page(BaseModel):
    items: list[CustomerV2Response]
    total: int = Field(..., description="Number of customers in total, on all pages")
    limit: int
    offset: int
