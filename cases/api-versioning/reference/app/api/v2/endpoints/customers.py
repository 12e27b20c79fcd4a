"""Customers, API v2: split names and a paginated list envelope."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.schemas.customer_v2 import CustomerV2Create, CustomerV2Page, CustomerV2Response
from app.services import customers as service

router = APIRouter(prefix="/customers", tags=["customers-v2"])

NOT_FOUND = "Customer not found"
DUPLICATE_EMAIL = "A customer with this email already exists"


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a customer (v2)",
    description="Create a customer from a first and a last name.",
    responses={status.HTTP_409_CONFLICT: {"description": DUPLICATE_EMAIL}},
)
async def create_customer_v2(
    data: CustomerV2Create, db: Annotated[AsyncSession, Depends(get_db)]
) -> CustomerV2Response:
    name = service.join_name(data.first_name, data.last_name)
    try:
        customer = await service.create_customer(db, name=name, email=data.email)
    except service.EmailAlreadyRegisteredError:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL) from None
    return CustomerV2Response.from_model(customer)


@router.get(
    "",
    summary="List customers, one page at a time (v2)",
    description="Customers ordered by id, in a page envelope with the overall total.",
)
async def list_customers_v2(
    db: Annotated[AsyncSession, Depends(get_db)],
    limit: Annotated[int, Query(ge=1, le=100, description="Page size")] = 20,
    offset: Annotated[int, Query(ge=0, description="Customers to skip")] = 0,
) -> CustomerV2Page:
    rows, total = await service.page_customers(db, limit=limit, offset=offset)
    return CustomerV2Page(
        items=[CustomerV2Response.from_model(c) for c in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/{customer_id}",
    summary="Get a customer (v2)",
    responses={status.HTTP_404_NOT_FOUND: {"description": NOT_FOUND}},
)
async def get_customer_v2(
    customer_id: int, db: Annotated[AsyncSession, Depends(get_db)]
) -> CustomerV2Response:
    customer = await service.get_customer(db, customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    return CustomerV2Response.from_model(customer)
