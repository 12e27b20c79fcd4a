"""Invoice schemas.

* normalisation (strip + upper-case of codes, money to cents): ``field_validator``
* cross-field rules (dates, discount vs subtotal): ``model_validator``
* derived amounts (``line_total``, ``subtotal``, ``total``): ``computed_field``

``LineItem`` is used for both requests and responses: its ``line_total`` is
a computed field, so it only exists in the serialisation (response) schema,
and ``extra="forbid"`` rejects it when a client sends it.
"""

import decimal
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

_EXACT = decimal.Context(
    prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN
)
_CENT = Decimal("0.01")

Amount = Annotated[Decimal, Field(ge=0, decimal_places=2, allow_inf_nan=False)]
Currency = Literal["EUR", "USD", "GBP"]


def _to_cents(value: Decimal) -> Decimal:
    """Give an amount exactly two decimal places ("250" -> "250.00").

    Exact whatever the magnitude; also turns "-0" into "0.00".
    """
    return _EXACT.quantize(abs(value), _CENT)


def _norm_code(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Customer(_Strict):
    name: str = Field(min_length=1, max_length=100)
    email: EmailStr


class BillingAddress(_Strict):
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = None
    city: str = Field(min_length=1, max_length=100)
    postal_code: str = Field(min_length=1, max_length=20)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")

    @field_validator("country", mode="before")
    @classmethod
    def normalise_country(cls, value: Any) -> Any:
        return _norm_code(value)


class LineItem(_Strict):
    sku: str = Field(pattern=r"^[A-Z]{2,5}-[0-9]{3,6}$")
    description: str = Field(min_length=1, max_length=200)
    quantity: int = Field(ge=1, le=1000)
    unit_price: Amount

    @field_validator("sku", mode="before")
    @classmethod
    def normalise_sku(cls, value: Any) -> Any:
        return _norm_code(value)

    @field_validator("unit_price")
    @classmethod
    def unit_price_to_cents(cls, value: Decimal) -> Decimal:
        return _to_cents(value)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def line_total(self) -> Decimal:
        return _EXACT.multiply(self.unit_price, Decimal(self.quantity))


def _subtotal(lines: list[LineItem]) -> Decimal:
    total = Decimal("0.00")
    for line in lines:
        total = _EXACT.add(total, line.line_total)
    return total


def _check_dates(issue_date: date, due_date: date) -> None:
    if due_date < issue_date:
        raise PydanticCustomError(
            "due_date_before_issue_date",
            "due_date must be on or after issue_date "
            "(due_date {due_date} is before issue_date {issue_date})",
            {"due_date": due_date.isoformat(), "issue_date": issue_date.isoformat()},
        )


def _check_discount(discount: Decimal, lines: list[LineItem]) -> None:
    subtotal = _subtotal(lines)
    if discount > subtotal:
        raise PydanticCustomError(
            "discount_exceeds_subtotal",
            "discount must not be greater than the subtotal "
            "(discount {discount} > subtotal {subtotal})",
            {"discount": str(discount), "subtotal": str(subtotal)},
        )


class InvoiceCreate(_Strict):
    customer: Customer
    billing_address: BillingAddress
    currency: Currency
    issue_date: date
    due_date: date
    lines: list[LineItem] = Field(min_length=1, max_length=50)
    discount: Amount = Decimal("0.00")

    @field_validator("currency", mode="before")
    @classmethod
    def normalise_currency(cls, value: Any) -> Any:
        return _norm_code(value)

    @field_validator("discount")
    @classmethod
    def discount_to_cents(cls, value: Decimal) -> Decimal:
        return _to_cents(value)

    @model_validator(mode="after")
    def due_date_not_before_issue_date(self) -> "InvoiceCreate":
        _check_dates(self.issue_date, self.due_date)
        return self

    @model_validator(mode="after")
    def discount_not_above_subtotal(self) -> "InvoiceCreate":
        _check_discount(self.discount, self.lines)
        return self


class StoredInvoice(BaseModel):
    """The values of an existing invoice that the PATCH rules depend on."""

    issue_date: date
    due_date: date
    lines: list[LineItem]
    discount: Decimal


def _document_as_not_nullable(schema: dict[str, Any]) -> None:
    """OpenAPI: the PATCH fields are optional but never nullable.

    ``None`` is only the "not sent" marker (explicit nulls are rejected by
    ``reject_null``), so drop the ``null`` branch and default from the schema.
    """
    for prop in schema.get("properties", {}).values():
        branches = prop.get("anyOf")
        if branches:
            non_null = [b for b in branches if b.get("type") != "null"]
            if len(non_null) == 1:
                del prop["anyOf"]
                prop.update(non_null[0])
            else:
                prop["anyOf"] = non_null
        if prop.get("default", ...) is None:
            del prop["default"]


class InvoiceUpdate(_Strict):
    """PATCH body: every field optional, none nullable.

    The cross-field rules are checked on the invoice that would result from
    the patch. Pass the stored invoice as validation context
    (``context={"stored": StoredInvoice(...)}``); without it only the values
    present in the body are checked against each other.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra=_document_as_not_nullable
    )

    customer: Customer | None = None
    billing_address: BillingAddress | None = None
    currency: Currency | None = None
    issue_date: date | None = None
    due_date: date | None = None
    lines: list[LineItem] | None = Field(default=None, min_length=1, max_length=50)
    discount: Amount | None = None

    @field_validator("*", mode="before")
    @classmethod
    def reject_null(cls, value: Any) -> Any:
        # Only runs for fields present in the body: omitted is fine, null is not.
        if value is None:
            raise PydanticCustomError("null_not_allowed", "This field may not be null")
        return value

    @field_validator("currency", mode="before")
    @classmethod
    def normalise_currency(cls, value: Any) -> Any:
        return _norm_code(value)

    @field_validator("discount")
    @classmethod
    def discount_to_cents(cls, value: Decimal | None) -> Decimal | None:
        return None if value is None else _to_cents(value)

    @model_validator(mode="after")
    def resulting_invoice_rules(self, info: ValidationInfo) -> "InvoiceUpdate":
        stored = (info.context or {}).get("stored")
        sent = self.model_fields_set
        if isinstance(stored, StoredInvoice):
            issue_date = self.issue_date if "issue_date" in sent else stored.issue_date
            due_date = self.due_date if "due_date" in sent else stored.due_date
            lines = self.lines if "lines" in sent else stored.lines
            discount = self.discount if "discount" in sent else stored.discount
        else:
            issue_date, due_date = self.issue_date, self.due_date
            lines, discount = self.lines, self.discount
        if issue_date is not None and due_date is not None:
            _check_dates(issue_date, due_date)
        if lines is not None and discount is not None:
            _check_discount(discount, lines)
        return self


class InvoiceResponse(BaseModel):
    id: int
    customer: Customer
    billing_address: BillingAddress
    currency: Currency
    issue_date: date
    due_date: date
    lines: list[LineItem]
    discount: Decimal

    @computed_field  # type: ignore[prop-decorator]
    @property
    def subtotal(self) -> Decimal:
        return _subtotal(self.lines)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> Decimal:
        return _EXACT.subtract(self.subtotal, self.discount)
