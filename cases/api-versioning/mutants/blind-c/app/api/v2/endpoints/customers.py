from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.models.customer import Customer
from app.schemas.customer_v2 import (
    CustomerCreateV2,
    CustomerPageV2,
    CustomerResponseV2,
    ErrorResponseV2,
)
from app.services.customer_names import join_name, split_name

router = APIRouter(prefix="/customers", tags=["customers-v2"])

NOT_FOUND = "Customer not found"
DUPLICATE_EMAIL = "A customer with this email already exists"


def to_v2(customer: Customer) -> CustomerResponseV2:
    first_name, last_name = split_name(customer.name)
    return CustomerResponseV2(
        id=customer.id,
        first_name=first_name,
        last_name=last_name,
        email=customer.email,
        created_at=customer.created_at,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CustomerResponseV2,
    summary="Create a customer (v2)",
    description="Create a customer from separate first and last names. "
    "The customer is also visible through API v1, with the names joined.",
    responses={
        status.HTTP_409_CONFLICT: {
            "model": ErrorResponseV2,
            "description": DUPLICATE_EMAIL,
        },
    },
)
async def create_customer(
    data: CustomerCreateV2, db: Annotated[AsyncSession, Depends(get_db)]
) -> CustomerResponseV2:
    if await db.scalar(select(Customer.id).where(Customer.email == data.email)):
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL)
    customer = Customer(
        name=join_name(data.first_name, data.last_name), email=data.email
    )
    db.add(customer)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL) from None
    # Reload so created_at has exactly the form every later read (v1 or v2) returns.
    await db.refresh(customer)
    return to_v2(customer)


@router.get(
    "",
    response_model=CustomerPageV2,
    summary="List customers, paginated (v2)",
    description="Customers ordered by id. `items` holds at most `limit` customers "
    "after skipping `offset`; `total` counts all customers.",
)
async def list_customers(
    db: Annotated[AsyncSession, Depends(get_db)],
    limit: Annotated[
        int,
        Query(
            ge=1, le=100, description="Maximum number of customers to return (1-100)."
        ),
    ] = 20,
    offset: Annotated[
        int, Query(ge=0, description="Number of customers to skip (>= 0).")
    ] = 0,
) -> CustomerPageV2:
    query = select(Customer).order_by(Customer.id).limit(limit).offset(offset)
    total = await db.scalar(select(func.count()).select_from(query.subquery()))
    customers = await db.scalars(query)
    return CustomerPageV2(
        items=[to_v2(c) for c in customers],
        total=total or 0,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/{customer_id}",
    response_model=CustomerResponseV2,
    summary="Get a customer (v2)",
    description="Return one customer with separate first and last names.",
    responses={
        status.HTTP_404_NOT_FOUND: {"model": ErrorResponseV2, "description": NOT_FOUND}
    },
)
async def get_customer(
    customer_id: int, db: Annotated[AsyncSession, Depends(get_db)]
) -> CustomerResponseV2:
    customer = await db.get(Customer, customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    return to_v2(customer)
