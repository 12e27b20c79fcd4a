"""Customers, API v2: split names and a paginated list envelope."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.models.customer_v2 import CustomerV2
from app.schemas.customer_v2 import CustomerV2Create, CustomerV2Page, CustomerV2Response

router = APIRouter(prefix="/customers", tags=["customers-v2"])

NOT_FOUND = "Customer not found"
DUPLICATE_EMAIL = "A customer with this email already exists"


def _out(customer: CustomerV2) -> CustomerV2Response:
    return CustomerV2Response(
        id=customer.id,
        first_name=customer.first_name,
        last_name=customer.last_name,
        email=customer.email,
        created_at=customer.created_at,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a customer (v2)",
    responses={status.HTTP_409_CONFLICT: {"description": DUPLICATE_EMAIL}},
)
async def create_customer_v2(
    data: CustomerV2Create, db: Annotated[AsyncSession, Depends(get_db)]
) -> CustomerV2Response:
    if await db.scalar(select(CustomerV2.id).where(CustomerV2.email == data.email)):
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL)
    customer = CustomerV2(**data.model_dump())
    db.add(customer)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL) from None
    await db.refresh(customer)
    return _out(customer)


@router.get("", summary="List customers, one page at a time (v2)")
async def list_customers_v2(
    db: Annotated[AsyncSession, Depends(get_db)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> CustomerV2Page:
    total = await db.scalar(select(func.count()).select_from(CustomerV2)) or 0
    rows = await db.scalars(
        select(CustomerV2).order_by(CustomerV2.id).limit(limit).offset(offset)
    )
    return CustomerV2Page(
        items=[_out(c) for c in rows], total=total, limit=limit, offset=offset
    )


@router.get(
    "/{customer_id}",
    summary="Get a customer (v2)",
    responses={status.HTTP_404_NOT_FOUND: {"description": NOT_FOUND}},
)
async def get_customer_v2(
    customer_id: int, db: Annotated[AsyncSession, Depends(get_db)]
) -> CustomerV2Response:
    customer = await db.get(CustomerV2, customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    return _out(customer)
