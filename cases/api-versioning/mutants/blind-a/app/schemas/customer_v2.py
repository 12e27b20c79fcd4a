"""Pydantic schemas of the v2 customers API.

Class names are distinct from the v1 schemas (``CustomerCreate`` /
``CustomerResponse``) so that both versions share one OpenAPI document without
renaming the v1 components.
"""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

FIRST_NAME_MAX = 50
LAST_NAME_MAX = 49


class CustomerCreateV2(BaseModel):
    first_name: str = Field(
        ...,
        min_length=1,
        max_length=FIRST_NAME_MAX,
        description="Given name: 1 to 50 characters, no whitespace.",
        examples=["Ada"],
    )
    last_name: str = Field(
        ...,
        min_length=0,
        max_length=LAST_NAME_MAX,
        description="Family name: 0 to 49 characters; may be empty and may "
        "contain spaces.",
        examples=["Lovelace"],
    )
    email: EmailStr = Field(
        ..., description="E-mail address (unique).", examples=["ada@example.com"]
    )

    @field_validator("first_name")
    @classmethod
    def first_name_has_no_whitespace(cls, value: str) -> str:
        if " " in value:
            raise ValueError("first_name must not contain whitespace")
        return value


class CustomerResponseV2(BaseModel):
    id: int = Field(..., description="Customer id (shared with v1).", examples=[1])
    first_name: str = Field(..., description="Given name.", examples=["Ada"])
    last_name: str = Field(
        ..., description="Family name; empty when there is none.", examples=["Lovelace"]
    )
    email: EmailStr = Field(
        ..., description="E-mail address.", examples=["ada@example.com"]
    )
    created_at: datetime = Field(..., description="Creation time (ISO 8601).")


class CustomerPageV2(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "id": 1,
                            "first_name": "Ada",
                            "last_name": "Lovelace",
                            "email": "ada@example.com",
                            "created_at": "2024-01-01T12:00:00",
                        }
                    ],
                    "total": 1,
                    "limit": 20,
                    "offset": 0,
                }
            ]
        }
    )

    items: list[CustomerResponseV2] = Field(
        ..., description="The customers of this page, ordered by id."
    )
    total: int = Field(
        ...,
        description="Number of all customers, not only of this page.",
        examples=[42],
    )
    limit: int = Field(..., description="The page size used.", examples=[20])
    offset: int = Field(
        ..., description="The number of customers skipped.", examples=[0]
    )


class ErrorResponseV2(BaseModel):
    detail: str = Field(
        ...,
        description="Human-readable error message.",
        examples=["Customer not found"],
    )
