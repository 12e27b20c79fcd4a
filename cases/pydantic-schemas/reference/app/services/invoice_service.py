from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.models.invoice import Invoice, InvoiceLine
from app.schemas.invoice import InvoiceCreate, InvoiceResponse, LineItemCreate


def _to_cents(amount: Decimal) -> int:
    return int(amount * 100)


def _from_cents(cents: int) -> Decimal:
    return Decimal(cents) / 100


def _build_lines(lines: list[LineItemCreate]) -> list[InvoiceLine]:
    return [
        InvoiceLine(
            position=index,
            sku=line.sku,
            description=line.description,
            quantity=line.quantity,
            unit_price_cents=_to_cents(line.unit_price),
        )
        for index, line in enumerate(lines)
    ]


def _assign(invoice: Invoice, data: InvoiceCreate) -> None:
    invoice.customer = data.customer.model_dump(mode="json")
    invoice.billing_address = data.billing_address.model_dump(mode="json")
    invoice.currency = data.currency
    invoice.issue_date = data.issue_date
    invoice.due_date = data.due_date
    invoice.discount_cents = _to_cents(data.discount)
    invoice.lines = _build_lines(data.lines)


class InvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, invoice_id: int) -> Invoice | None:
        return await self.session.get(Invoice, invoice_id)

    async def create(self, data: InvoiceCreate) -> Invoice:
        invoice = Invoice()
        _assign(invoice, data)
        self.session.add(invoice)
        await self.session.commit()
        return invoice

    async def replace(self, invoice: Invoice, data: InvoiceCreate) -> Invoice:
        _assign(invoice, data)
        await self.session.commit()
        return invoice


def _stored_fields(invoice: Invoice) -> dict[str, Any]:
    return {
        "customer": invoice.customer,
        "billing_address": invoice.billing_address,
        "currency": invoice.currency,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "discount": _from_cents(invoice.discount_cents),
        "lines": [
            {
                "sku": line.sku,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": _from_cents(line.unit_price_cents),
            }
            for line in invoice.lines
        ],
    }


def to_create_schema(invoice: Invoice) -> InvoiceCreate:
    """The stored invoice as a create payload (the base a PATCH is merged into)."""
    return InvoiceCreate.model_validate(_stored_fields(invoice))


def to_response(invoice: Invoice) -> InvoiceResponse:
    return InvoiceResponse.model_validate({"id": invoice.id, **_stored_fields(invoice)})
