from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.encoders import jsonable_encoder
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.core.database import get_session
from app.models.invoice import InvoiceRecord
from app.schemas.invoices import InvoiceIn, InvoiceOut, InvoicePatch

router = APIRouter(prefix="/invoices", tags=["invoices"])
DB = Annotated[Session, Depends(get_session)]


def _out(record: InvoiceRecord) -> InvoiceOut:
    return InvoiceOut.model_validate({"id": record.id, **record.document})


def _load(invoice_id: int, db: DB) -> InvoiceRecord:
    record = db.get(InvoiceRecord, invoice_id)
    if record is None:
        raise HTTPException(status_code=404, detail="Invoice not found")
    return record


Record = Annotated[InvoiceRecord, Depends(_load)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Invoice not found"}}


@router.post("", status_code=201, summary="Create an invoice")
def create_invoice(body: InvoiceIn, db: DB) -> InvoiceOut:
    record = InvoiceRecord(document=body.model_dump(mode="json"))
    db.add(record)
    db.commit()
    return _out(record)


@router.get("/{invoice_id}", summary="Read an invoice", responses=NOT_FOUND)
def read_invoice(invoice_id: int, record: Record) -> InvoiceOut:
    return _out(record)


@router.patch(
    "/{invoice_id}", summary="Update part of an invoice", responses=NOT_FOUND
)
def patch_invoice(
    invoice_id: int, body: InvoicePatch, record: Record, db: DB
) -> InvoiceOut:
    document: dict[str, Any] = {
        **record.document,
        **body.model_dump(mode="json", exclude_unset=True),
    }
    try:
        merged = InvoiceIn.model_validate(document)
    except ValidationError as exc:
        detail = [
            {"loc": ["body", *err["loc"]], "msg": err["msg"], "type": err["type"]}
            for err in exc.errors()
        ]
        raise HTTPException(status_code=422, detail=jsonable_encoder(detail)) from exc
    record.document = merged.model_dump(mode="json")
    db.commit()
    return _out(record)
