from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.models.customer import Customer
from app.schemas.customer import CustomerCreate, CustomerResponse

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
    if await db.scalar(select(Customer.id).where(Customer.email == data.email)):
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL)
    customer = Customer(name=data.name, email=data.email)
    db.add(customer)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL) from None
    await db.refresh(customer)
    return CustomerResponse.model_validate(customer)


@router.get("", summary="List all customers")
async def list_customers(
    db: Annotated[AsyncSession, Depends(get_db)],
) -> list[CustomerResponse]:
    customers = await db.scalars(select(Customer).order_by(Customer.id))
    return [CustomerResponse.model_validate(c) for c in customers]


@router.get(
    "/{customer_id}",
    summary="Get a customer",
    responses={status.HTTP_404_NOT_FOUND: {"description": NOT_FOUND}},
)
async def get_customer(
    customer_id: int, db: Annotated[AsyncSession, Depends(get_db)]
) -> CustomerResponse:
    customer = await db.get(Customer, customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    return CustomerResponse.model_validate(customer)
