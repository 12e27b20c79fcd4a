from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class Invoice(Base):
    """An invoice row.

    Customer, billing address and line items are stored as JSON documents
    (money amounts as decimal strings, never floats). Totals are not stored:
    they are always computed from the lines and the discount.
    """

    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    billing_address: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    issue_date: Mapped[date] = mapped_column(Date, nullable=False)
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    discount: Mapped[str] = mapped_column(String, nullable=False)
