"""Invoice schemas: all business rules of the API live here."""

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    ValidationError,
    computed_field,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from app.schemas.money import EXACT, Money, money_to_str

Currency = Literal["EUR", "USD", "GBP"]
SKU_PATTERN = r"^[A-Z]{2,5}-[0-9]{3,6}$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"


def _strip_upper(value: Any) -> Any:
    """Normalise codes: strip surrounding whitespace and upper-case.

    Non-string input is passed through untouched so that the regular type
    validation reports it.
    """
    if isinstance(value, str):
        return value.strip().upper()
    return value


class RequestModel(BaseModel):
    """Base for request bodies: unknown fields are rejected at every level."""

    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------
# Nested models
# --------------------------------------------------------------------------


class Customer(RequestModel):
    name: str = Field(min_length=1, max_length=100, examples=["Ada Lovelace"])
    email: EmailStr = Field(examples=["ada@example.com"])


class Address(BaseModel):
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = None
    city: str = Field(min_length=1, max_length=100)
    postal_code: str = Field(min_length=1, max_length=20)
    country: str = Field(
        pattern=COUNTRY_PATTERN,
        description="ISO 3166-1 alpha-2 code, normalised to upper case",
        examples=["GB"],
    )

    @field_validator("country", mode="before")
    @classmethod
    def _normalise_country(cls, value: Any) -> Any:
        return _strip_upper(value)


class LineItemCreate(RequestModel):
    sku: str = Field(
        pattern=SKU_PATTERN,
        description="Stock keeping unit, normalised to upper case",
        examples=["AB-123"],
    )
    description: str = Field(min_length=1, max_length=200)
    quantity: int = Field(ge=1, le=1000)
    unit_price: Money

    @field_validator("sku", mode="before")
    @classmethod
    def _normalise_sku(cls, value: Any) -> Any:
        return _strip_upper(value)


class LineItemResponse(BaseModel):
    sku: str
    description: str
    quantity: int
    unit_price: Money

    @computed_field  # type: ignore[prop-decorator]
    @property
    def line_total(self) -> Money:
        return EXACT.multiply(self.unit_price, Decimal(self.quantity))


# --------------------------------------------------------------------------
# Cross-field rules
# --------------------------------------------------------------------------


def subtotal_of(lines: list[LineItemCreate] | list[LineItemResponse]) -> Decimal:
    total = Decimal(0)
    for line in lines:
        line_total = EXACT.multiply(line.unit_price, Decimal(line.quantity))
        total = EXACT.add(total, line_total)
    return total


def check_invoice_rules(
    title: str,
    issue_date: date,
    due_date: date,
    lines: list[LineItemCreate],
    discount: Decimal,
) -> None:
    """Raise a ``ValidationError`` located at the offending field(s)."""
    errors: list[InitErrorDetails] = []
    if due_date < issue_date:
        errors.append(
            InitErrorDetails(
                type=PydanticCustomError(
                    "due_date_before_issue_date",
                    "due_date ({due_date}) must be on or after "
                    "issue_date ({issue_date})",
                    {
                        "due_date": due_date.isoformat(),
                        "issue_date": issue_date.isoformat(),
                    },
                ),
                loc=("due_date",),
                input=due_date.isoformat(),
            )
        )
    subtotal = subtotal_of(lines)
    if discount > subtotal:
        errors.append(
            InitErrorDetails(
                type=PydanticCustomError(
                    "discount_exceeds_subtotal",
                    "discount ({discount}) must not be greater than "
                    "the subtotal ({subtotal})",
                    {
                        "discount": money_to_str(discount),
                        "subtotal": money_to_str(subtotal),
                    },
                ),
                loc=("discount",),
                input=money_to_str(discount),
            )
        )
    if errors:
        raise ValidationError.from_exception_data(title, errors)


# --------------------------------------------------------------------------
# Invoice bodies
# --------------------------------------------------------------------------


class InvoiceCreate(RequestModel):
    customer: Customer
    billing_address: Address
    currency: Currency = Field(description="EUR, USD or GBP (case-insensitive)")
    issue_date: date
    due_date: date
    lines: list[LineItemCreate] = Field(min_length=1, max_length=50)
    discount: Money = Decimal(0)

    @field_validator("currency", mode="before")
    @classmethod
    def _normalise_currency(cls, value: Any) -> Any:
        return _strip_upper(value)

    @model_validator(mode="after")
    def _cross_field_rules(self) -> "InvoiceCreate":
        check_invoice_rules(
            "InvoiceCreate", self.issue_date, self.due_date, self.lines, self.discount
        )
        return self


class InvoiceUpdate(RequestModel):
    """PATCH body: any subset of the invoice fields, none of them nullable.

    The ``None`` defaults only mark a field as "not sent" (they are never
    validated); an explicit ``null`` fails the field's type validation.
    Cross-field rules are checked on the resulting invoice by the endpoint,
    which re-validates the merged data through ``InvoiceCreate``.
    """

    customer: Customer = None  # type: ignore[assignment]
    billing_address: Address = None  # type: ignore[assignment]
    currency: Currency = Field(default=None, description="EUR, USD or GBP")  # type: ignore[assignment]
    issue_date: date = None  # type: ignore[assignment]
    due_date: date = None  # type: ignore[assignment]
    lines: list[LineItemCreate] = Field(default=None, min_length=1, max_length=50)  # type: ignore[assignment]
    discount: Money = None  # type: ignore[assignment]

    @field_validator("currency", mode="before")
    @classmethod
    def _normalise_currency(cls, value: Any) -> Any:
        return _strip_upper(value)


class InvoiceResponse(BaseModel):
    id: int
    customer: Customer
    billing_address: Address
    currency: Currency
    issue_date: date
    due_date: date
    lines: list[LineItemResponse]
    discount: Money

    @computed_field  # type: ignore[prop-decorator]
    @property
    def subtotal(self) -> Money:
        return subtotal_of(self.lines)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> Money:
        return EXACT.subtract(self.subtotal, self.discount)
