from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.models.invoice import Invoice
from app.schemas.invoice import InvoiceCreate, InvoiceResponse, InvoiceUpdate
from app.services.invoice_service import (
    InvoiceRepository,
    to_create_schema,
    to_response,
)

router = APIRouter(prefix="/invoices", tags=["invoices"])

InvoiceId = Annotated[int, Path(description="Invoice identifier")]
NOT_FOUND = {404: {"description": "Invoice not found"}}


def get_repository(db: Annotated[AsyncSession, Depends(get_db)]) -> InvoiceRepository:
    return InvoiceRepository(db)


Repository = Annotated[InvoiceRepository, Depends(get_repository)]


async def _get_or_404(repo: InvoiceRepository, invoice_id: int) -> Invoice:
    invoice = await repo.get(invoice_id)
    if invoice is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="Invoice not found"
        )
    return invoice


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create an invoice",
    description="Validates and normalises the invoice, then computes its totals.",
)
async def create_invoice(payload: InvoiceCreate, repo: Repository) -> InvoiceResponse:
    invoice = await repo.create(payload)
    return to_response(invoice)


@router.get("/{invoice_id}", responses=NOT_FOUND, summary="Get an invoice")
async def get_invoice(invoice_id: InvoiceId, repo: Repository) -> InvoiceResponse:
    return to_response(await _get_or_404(repo, invoice_id))


@router.patch(
    "/{invoice_id}",
    responses=NOT_FOUND,
    summary="Partially update an invoice",
    description="Only the fields sent change; the cross-field rules are checked on the "
    "resulting invoice.",
)
async def update_invoice(
    invoice_id: InvoiceId, payload: InvoiceUpdate, repo: Repository
) -> InvoiceResponse:
    invoice = await _get_or_404(repo, invoice_id)
    try:
        merged = payload.apply_to(to_create_schema(invoice))
    except ValidationError as exc:
        # Same 422 shape as request validation, located in the body.
        errors = [
            {**error, "loc": ("body", *error["loc"])}
            for error in exc.errors(include_url=False)
        ]
        raise RequestValidationError(errors) from exc
    return to_response(await repo.replace(invoice, merged))
