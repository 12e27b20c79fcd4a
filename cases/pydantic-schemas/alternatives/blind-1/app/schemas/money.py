"""Exact decimal money type shared by the invoice schemas."""

import decimal
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, PlainSerializer

# Arithmetic on amounts is exact: no rounding, whatever the magnitude.
EXACT = decimal.Context(
    prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN
)
CENT = Decimal("0.01")


def _canonical(value: Decimal) -> Decimal:
    # "-0" and "0" are the same amount; keep the positive zero.
    return Decimal(0) if value == 0 else value


def money_to_str(value: Decimal) -> str:
    """Render an amount as a plain decimal string with two decimals: ``"250.00"``."""
    return format(EXACT.quantize(_canonical(value), CENT), "f")


Money = Annotated[
    Decimal,
    Field(ge=0, decimal_places=2, allow_inf_nan=False, examples=["19.99"]),
    AfterValidator(_canonical),
    PlainSerializer(money_to_str, return_type=str, when_used="json"),
]
"""A non-negative amount with at most two decimal places.

Accepted as a JSON number or string (``19.99`` / ``"19.99"``), serialised as a
JSON string.
"""
