from datetime import date
from decimal import Decimal
from typing import Any, Literal, Self

from pydantic import (
    ConfigDict,
    EmailStr,
    Field,
    computed_field,
    field_validator,
    model_validator,
)

from app.schemas.common import CENT, Money, StrictModel, normalise_code

Currency = Literal["EUR", "USD", "GBP"]
SKU_PATTERN = r"^[A-Z]{2,5}-[0-9]{3,6}$"


class Customer(StrictModel):
    name: str = Field(min_length=1, max_length=100, examples=["Ada Lovelace"])
    email: EmailStr = Field(examples=["ada@example.com"])


class Address(StrictModel):
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    postal_code: str = Field(min_length=1, max_length=20)
    country: str = Field(
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166-1 alpha-2 code; normalised to upper case",
        examples=["GB"],
    )

    @field_validator("country", mode="before")
    @classmethod
    def normalise_country(cls, value: object) -> object:
        return normalise_code(value)


class LineItemBase(StrictModel):
    sku: str = Field(
        pattern=SKU_PATTERN,
        description="Stock keeping unit; normalised to upper case",
        examples=["AB-123"],
    )
    description: str = Field(min_length=1, max_length=200)
    quantity: int = Field(ge=1, le=1000)
    unit_price: Money

    @field_validator("sku", mode="before")
    @classmethod
    def normalise_sku(cls, value: object) -> object:
        return normalise_code(value)


class LineItemCreate(LineItemBase):
    pass


class LineItemResponse(LineItemBase):
    @computed_field(description="quantity x unit_price")
    @property
    def line_total(self) -> Decimal:
        return (self.unit_price * self.quantity).quantize(CENT)


def _subtotal(lines: list[LineItemCreate] | list[LineItemResponse]) -> Decimal:
    total = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
    return total.quantize(CENT)


class InvoiceBase(StrictModel):
    customer: Customer
    billing_address: Address
    currency: Currency = Field(description="EUR, USD or GBP; case-insensitive input")
    issue_date: date
    due_date: date
    discount: Money = Decimal(0)

    @field_validator("currency", mode="before")
    @classmethod
    def normalise_currency(cls, value: object) -> object:
        return normalise_code(value)


class InvoiceCreate(InvoiceBase):
    lines: list[LineItemCreate] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def check_cross_field_rules(self) -> Self:
        if self.due_date < self.issue_date:
            raise ValueError("due_date must be on or after issue_date")
        subtotal = _subtotal(self.lines)
        if self.discount > subtotal:
            raise ValueError(
                f"discount ({self.discount}) must not exceed the subtotal ({subtotal})"
            )
        return self


class InvoiceUpdate(StrictModel):
    """Every field optional; nested objects and ``lines`` are replaced as a whole."""

    customer: Customer | None = None
    billing_address: Address | None = None
    currency: Currency | None = None
    issue_date: date | None = None
    due_date: date | None = None
    lines: list[LineItemCreate] | None = Field(
        default=None, min_length=1, max_length=50
    )
    discount: Money | None = None

    @field_validator("*", mode="before")
    @classmethod
    def reject_null(cls, value: object) -> object:
        # Defaults are not validated, so this only fires for an explicit null.
        if value is None:
            raise ValueError("null is not allowed; omit the field to keep its value")
        return value

    @field_validator("currency", mode="before")
    @classmethod
    def normalise_currency(cls, value: object) -> object:
        return normalise_code(value)

    def apply_to(self, current: InvoiceCreate) -> InvoiceCreate:
        """Merge into ``current`` and re-run every rule on the result.

        Raises ``pydantic.ValidationError`` when the merged invoice breaks a rule.
        """
        merged: dict[str, Any] = current.model_dump()
        merged.update(self.model_dump(exclude_unset=True))
        return InvoiceCreate.model_validate(merged)


class InvoiceResponse(InvoiceBase):
    model_config = ConfigDict(extra="ignore")

    id: int
    lines: list[LineItemResponse]

    @property
    def subtotal(self) -> Decimal:
        return _subtotal(self.lines)

    @property
    def total(self) -> Decimal:
        return (self.subtotal - self.discount).quantize(CENT)
