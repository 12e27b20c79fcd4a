"""Schemas of API v2.

Class names differ from the v1 components on purpose: both versions share one
OpenAPI document, and equal names would rename the v1 components.
"""

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, EmailStr, Field

T = TypeVar("T")


class CustomerV2In(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "first_name": "Grace",
                    "last_name": "Brewster Hopper",
                    "email": "grace@example.com",
                }
            ]
        }
    )

    first_name: str = Field(
        min_length=1,
        max_length=50,
        pattern=r"^\S+$",
        description="Given name, 1-50 characters, without any whitespace.",
    )
    last_name: str = Field(
        max_length=49,
        description='Family name, 0-49 characters. May be empty ("") and may '
        "contain spaces.",
    )
    email: EmailStr = Field(
        description="E-mail address; unique across all API versions."
    )


class CustomerV2Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(description="Customer id, the same in every API version.")
    first_name: str = Field(description="Given name.")
    last_name: str = Field(description='Family name; "" when the customer has none.')
    email: EmailStr = Field(description="E-mail address.")
    created_at: datetime = Field(
        description="When the customer was created (ISO 8601)."
    )


class Page(BaseModel, Generic[T]):
    """One page of a collection ordered by id."""

    items: list[T] = Field(
        description="At most `limit` items, after skipping `offset`."
    )
    total: int = Field(
        description="Number of all items in the collection, not only this page."
    )
    limit: int = Field(description="The page size that was applied.")
    offset: int = Field(description="How many items were skipped.")


class Problem(BaseModel):
    detail: str = Field(description="What went wrong.")
