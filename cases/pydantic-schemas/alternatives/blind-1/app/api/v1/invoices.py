from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import get_session
from app.models.invoice import Invoice
from app.schemas.invoice import InvoiceCreate, InvoiceResponse, InvoiceUpdate
from app.services import invoices as service

router = APIRouter(prefix="/invoices", tags=["invoices"])

SessionDep = Annotated[AsyncSession, Depends(get_session)]

_NOT_FOUND = {
    404: {
        "description": "Invoice not found",
        "content": {"application/json": {"example": {"detail": "Invoice not found"}}},
    }
}


async def _get_or_404(session: AsyncSession, invoice_id: int) -> Invoice:
    invoice = await service.get_invoice(session, invoice_id)
    if invoice is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Invoice not found")
    return invoice


@router.post(
    "",
    response_model=InvoiceResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Create an invoice",
)
async def create_invoice(body: InvoiceCreate, session: SessionDep) -> InvoiceResponse:
    invoice = await service.create_invoice(session, body)
    return service.to_response(invoice)


@router.get(
    "/{invoice_id}",
    response_model=InvoiceResponse,
    summary="Get an invoice",
    responses=_NOT_FOUND,
)
async def get_invoice(invoice_id: int, session: SessionDep) -> InvoiceResponse:
    return service.to_response(await _get_or_404(session, invoice_id))


@router.patch(
    "/{invoice_id}",
    response_model=InvoiceResponse,
    summary="Partially update an invoice",
    responses=_NOT_FOUND,
)
async def update_invoice(
    invoice_id: int, body: InvoiceUpdate, session: SessionDep
) -> InvoiceResponse:
    invoice = await _get_or_404(session, invoice_id)
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        return service.to_response(invoice)

    merged = {**service.stored_fields(invoice), **changes}
    try:
        # Re-validate the *resulting* invoice so the cross-field rules (model
        # validators of InvoiceCreate) see stored and new values together.
        result = InvoiceCreate.model_validate(merged)
    except ValidationError as exc:
        raise RequestValidationError(
            [
                {**err, "loc": ("body", *err["loc"])}
                for err in exc.errors(include_url=False)
            ]
        ) from None
    invoice = await service.replace_invoice(session, invoice, result)
    return service.to_response(invoice)
