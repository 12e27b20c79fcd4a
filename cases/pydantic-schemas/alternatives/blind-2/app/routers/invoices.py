from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.db import get_db
from app.models import Invoice, InvoiceLine
from app.schemas import (
    BillingAddress,
    Customer,
    InvoiceCreate,
    InvoiceResponse,
    InvoiceUpdate,
    LineItem,
    StoredInvoice,
)

router = APIRouter(prefix="/api/v1/invoices", tags=["invoices"])

DB = Annotated[Session, Depends(get_db)]
NOT_FOUND = {404: {"description": "Invoice not found"}}
_ID_RANGE = range(-(2**63), 2**63)


# ---------------------------------------------------------------- mapping


def _lines_of(invoice: Invoice) -> list[LineItem]:
    return [
        LineItem(
            sku=line.sku,
            description=line.description,
            quantity=line.quantity,
            unit_price=Decimal(line.unit_price),
        )
        for line in invoice.lines
    ]


def _to_response(invoice: Invoice) -> InvoiceResponse:
    return InvoiceResponse(
        id=invoice.id,
        customer=Customer(name=invoice.customer_name, email=invoice.customer_email),
        billing_address=BillingAddress(
            line1=invoice.address_line1,
            line2=invoice.address_line2,
            city=invoice.address_city,
            postal_code=invoice.address_postal_code,
            country=invoice.address_country,
        ),
        currency=invoice.currency,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        lines=_lines_of(invoice),
        discount=Decimal(invoice.discount),
    )


def _set_customer(invoice: Invoice, customer: Customer) -> None:
    invoice.customer_name = customer.name
    invoice.customer_email = str(customer.email)


def _set_address(invoice: Invoice, address: BillingAddress) -> None:
    invoice.address_line1 = address.line1
    invoice.address_line2 = address.line2
    invoice.address_city = address.city
    invoice.address_postal_code = address.postal_code
    invoice.address_country = address.country


def _set_lines(invoice: Invoice, lines: list[LineItem]) -> None:
    invoice.lines = [
        InvoiceLine(
            position=position,
            sku=line.sku,
            description=line.description,
            quantity=line.quantity,
            unit_price=str(line.unit_price),
        )
        for position, line in enumerate(lines)
    ]


def _load(db: Session, invoice_id: int) -> Invoice:
    invoice = db.get(Invoice, invoice_id) if invoice_id in _ID_RANGE else None
    if invoice is None:
        raise HTTPException(status_code=404, detail="Invoice not found")
    return invoice


# ---------------------------------------------------------------- endpoints


@router.post(
    "",
    status_code=201,
    response_model=InvoiceResponse,
    summary="Create an invoice",
)
def create_invoice(payload: InvoiceCreate, db: DB) -> InvoiceResponse:
    invoice = Invoice(
        currency=payload.currency,
        issue_date=payload.issue_date,
        due_date=payload.due_date,
        discount=str(payload.discount),
    )
    _set_customer(invoice, payload.customer)
    _set_address(invoice, payload.billing_address)
    _set_lines(invoice, payload.lines)
    db.add(invoice)
    db.commit()
    db.refresh(invoice)
    return _to_response(invoice)


@router.get(
    "/{invoice_id}",
    response_model=InvoiceResponse,
    summary="Get an invoice",
    responses=NOT_FOUND,
)
def read_invoice(invoice_id: int, db: DB) -> InvoiceResponse:
    return _to_response(_load(db, invoice_id))


@router.patch(
    "/{invoice_id}",
    response_model=InvoiceResponse,
    summary="Partially update an invoice",
    responses=NOT_FOUND,
)
def patch_invoice(
    invoice_id: int,
    payload: InvoiceUpdate,
    db: DB,
) -> InvoiceResponse:
    # ``payload`` has passed the field rules (and the cross-field rules among
    # the values it carries). Re-validate the values it carries with the
    # stored invoice as context so the cross-field rules see the resulting
    # invoice.
    invoice = _load(db, invoice_id)
    stored = StoredInvoice(
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        lines=_lines_of(invoice),
        discount=Decimal(invoice.discount),
    )
    try:
        payload = InvoiceUpdate.model_validate(
            payload.model_dump(exclude_unset=True, exclude_computed_fields=True),
            context={"stored": stored},
        )
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from None

    sent = payload.model_fields_set
    if "customer" in sent:
        _set_customer(invoice, payload.customer)
    if "billing_address" in sent:
        _set_address(invoice, payload.billing_address)
    if "currency" in sent:
        invoice.currency = payload.currency
    if "issue_date" in sent:
        invoice.issue_date = payload.issue_date
    if "due_date" in sent:
        invoice.due_date = payload.due_date
    if "lines" in sent:
        _set_lines(invoice, payload.lines)
    if "discount" in sent:
        invoice.discount = str(payload.discount)
    if sent:
        db.commit()
        db.refresh(invoice)
    return _to_response(invoice)
