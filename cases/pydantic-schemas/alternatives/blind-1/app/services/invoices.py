"""Persistence helpers: mapping between schemas and the ``invoices`` table."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.models.invoice import Invoice
from app.schemas.invoice import InvoiceCreate, InvoiceResponse
from app.schemas.money import money_to_str

_MAX_ID = 2**63 - 1  # SQLite INTEGER range


def _columns(data: InvoiceCreate) -> dict[str, Any]:
    return {
        "customer": data.customer.model_dump(mode="json"),
        "billing_address": data.billing_address.model_dump(mode="json"),
        "currency": data.currency,
        "issue_date": data.issue_date,
        "due_date": data.due_date,
        "lines": [line.model_dump(mode="json") for line in data.lines],
        "discount": money_to_str(data.discount),
    }


def stored_fields(invoice: Invoice) -> dict[str, Any]:
    """The stored invoice in ``InvoiceCreate`` input form."""
    return {
        "customer": dict(invoice.customer),
        "billing_address": dict(invoice.billing_address),
        "currency": invoice.currency,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "lines": [dict(line) for line in invoice.lines],
        "discount": invoice.discount,
    }


def to_response(invoice: Invoice) -> InvoiceResponse:
    return InvoiceResponse.model_validate({"id": invoice.id, **stored_fields(invoice)})


async def get_invoice(session: AsyncSession, invoice_id: int) -> Invoice | None:
    if not -_MAX_ID - 1 <= invoice_id <= _MAX_ID:
        return None
    return await session.get(Invoice, invoice_id)


async def create_invoice(session: AsyncSession, data: InvoiceCreate) -> Invoice:
    invoice = Invoice(**_columns(data))
    session.add(invoice)
    await session.commit()
    await session.refresh(invoice)
    return invoice


async def replace_invoice(
    session: AsyncSession, invoice: Invoice, data: InvoiceCreate
) -> Invoice:
    for name, value in _columns(data).items():
        setattr(invoice, name, value)
    await session.commit()
    await session.refresh(invoice)
    return invoice
