import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    computed_field,
    field_serializer,
    field_validator,
    model_validator,
)

SKU_RE = re.compile(r"[A-Z]{2,5}-[0-9]{3,6}")
COUNTRY_RE = re.compile(r"[A-Z]{2}")
CURRENCIES = ("EUR", "USD", "GBP")

Amount = Annotated[Decimal, Field(ge=0, decimal_places=2, max_digits=14)]


def _fmt(amount: Decimal) -> str:
    return f"{amount:.2f}"


class _Forbid(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CustomerIn(_Forbid):
    name: str = Field(min_length=1, max_length=100)
    email: EmailStr


class AddressIn(_Forbid):
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = None
    city: str = Field(min_length=1, max_length=100)
    postal_code: str = Field(min_length=1, max_length=20)
    country: str

    @field_validator("country")
    @classmethod
    def check_country(cls, v: str) -> str:
        v = v.strip().upper()
        if not COUNTRY_RE.fullmatch(v):
            raise ValueError("country must be a two-letter ISO 3166-1 alpha-2 code")
        return v


class LineIn(_Forbid):
    sku: str
    description: str = Field(min_length=1, max_length=200)
    quantity: int = Field(ge=1, le=1000)
    unit_price: Amount

    @field_validator("sku")
    @classmethod
    def check_sku(cls, v: str) -> str:
        v = v.strip().upper()
        if not SKU_RE.fullmatch(v):
            raise ValueError("sku must look like AB-123: 2-5 letters, dash, 3-6 digits")
        return v

    @field_serializer("unit_price")
    def _money(self, v: Decimal) -> str:
        return _fmt(v)


class LineOut(LineIn):
    @computed_field
    @property
    def line_total(self) -> str:
        return _fmt(self.quantity * self.unit_price)


def _currency(v: Any) -> Any:
    if isinstance(v, str):
        v = v.strip().upper()
        if v not in CURRENCIES:
            raise ValueError(f"currency must be one of {', '.join(CURRENCIES)}")
    return v


class InvoiceIn(_Forbid):
    """Create payload; also the stored document."""

    customer: CustomerIn
    billing_address: AddressIn
    currency: str
    issue_date: date
    due_date: date
    lines: list[LineIn] = Field(min_length=1, max_length=50)
    discount: Amount = Decimal("0")

    _normalise_currency = field_validator("currency")(_currency)

    @model_validator(mode="after")
    def _dates(self) -> "InvoiceIn":
        if self.due_date < self.issue_date:
            raise ValueError("due_date cannot be earlier than issue_date")
        return self

    @model_validator(mode="after")
    def _discount(self) -> "InvoiceIn":
        subtotal = sum((ln.quantity * ln.unit_price for ln in self.lines), Decimal(0))
        if self.discount > subtotal:
            raise ValueError("discount cannot be greater than the subtotal")
        return self

    @field_serializer("discount")
    def _money(self, v: Decimal) -> str:
        return _fmt(v)


class InvoicePatch(_Forbid):
    customer: CustomerIn | None = None
    billing_address: AddressIn | None = None
    currency: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    lines: list[LineIn] | None = Field(default=None, min_length=1, max_length=50)
    discount: Amount | None = None

    _normalise_currency = field_validator("currency")(_currency)

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, value in data.items():
                if value is None:
                    raise ValueError(f"{key} cannot be null")
        return data


class InvoiceOut(BaseModel):
    id: int
    customer: CustomerIn
    billing_address: AddressIn
    currency: str
    issue_date: date
    due_date: date
    lines: list[LineOut]
    discount: Decimal

    @field_serializer("discount")
    def _money(self, v: Decimal) -> str:
        return _fmt(v)

    @computed_field
    @property
    def subtotal(self) -> str:
        return _fmt(sum((ln.quantity * ln.unit_price for ln in self.lines), Decimal(0)))

    @computed_field
    @property
    def total(self) -> str:
        return _fmt(Decimal(self.subtotal) - self.discount)
