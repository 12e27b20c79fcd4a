"""Customers, API v1. Frozen contract: responses must stay byte-for-byte identical."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.schemas.customer import CustomerCreate, CustomerResponse
from app.services import customers as service

router = APIRouter(prefix="/customers", tags=["customers"])

NOT_FOUND = "Customer not found"
DUPLICATE_EMAIL = "A customer with this email already exists"


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a customer",
    responses={status.HTTP_409_CONFLICT: {"description": DUPLICATE_EMAIL}},
)
async def create_customer(
    data: CustomerCreate, db: Annotated[AsyncSession, Depends(get_db)]
) -> CustomerResponse:
    try:
        customer = await service.create_customer(db, name=data.name, email=data.email)
    except service.EmailAlreadyRegisteredError:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL) from None
    return CustomerResponse.model_validate(customer)


@router.get("", summary="List all customers")
async def list_customers(
    db: Annotated[AsyncSession, Depends(get_db)],
) -> list[CustomerResponse]:
    return [
        CustomerResponse.model_validate(c) for c in await service.list_customers(db)
    ]


@router.get(
    "/{customer_id}",
    summary="Get a customer",
    responses={status.HTTP_404_NOT_FOUND: {"description": NOT_FOUND}},
)
async def get_customer(
    customer_id: int, db: Annotated[AsyncSession, Depends(get_db)]
) -> CustomerResponse:
    customer = await service.get_customer(db, customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    return CustomerResponse.model_validate(customer)
