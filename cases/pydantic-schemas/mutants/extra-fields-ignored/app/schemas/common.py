"""Reusable field types shared by the invoice schemas."""

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

CENT = Decimal("0.01")


def to_money_string(value: Decimal) -> str:
    return str(value.quantize(CENT))


Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=12, decimal_places=2, examples=["19.99"]),
    PlainSerializer(to_money_string, return_type=str, when_used="json"),
]


def normalise_code(value: object) -> object:
    """Strip and upper-case strings; anything else is left to type validation."""
    if isinstance(value, str):
        return value.strip().upper()
    return value


class StrictModel(BaseModel):
    """Base for the request models."""

    model_config = ConfigDict(str_strip_whitespace=False)
