from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base


class InvoiceRecord(Base):
    """One invoice as a validated JSON document (normalised input, no totals)."""

    __tablename__ = "invoice_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
