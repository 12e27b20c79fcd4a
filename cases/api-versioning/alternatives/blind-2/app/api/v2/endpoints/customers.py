from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.v2.dependencies import PageParams, page_params
from app.core.database import get_db
from app.models.customer import Customer
from app.schemas.v2.customer import CustomerV2In, CustomerV2Out, Page, Problem
from app.services import customers as service

router = APIRouter(prefix="/customers")

NOT_FOUND = "Customer not found"
DUPLICATE_EMAIL = "A customer with this email already exists"

Db = Annotated[AsyncSession, Depends(get_db)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a customer with first and last name",
    responses={
        status.HTTP_409_CONFLICT: {"model": Problem, "description": DUPLICATE_EMAIL}
    },
)
async def create_customer_v2(data: CustomerV2In, db: Db) -> CustomerV2Out:
    """Create a customer.

    In API v1 it reads with `name` = first name, a space, last name.
    """
    customer = Customer.from_names(
        first_name=data.first_name, last_name=data.last_name, email=data.email
    )
    try:
        customer = await service.add_customer(db, customer)
    except service.EmailAlreadyRegisteredError:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL) from None
    return CustomerV2Out.model_validate(customer)


@router.get("", summary="List customers page by page")
async def list_customers_v2(
    db: Db, page: Annotated[PageParams, Depends(page_params)]
) -> Page[CustomerV2Out]:
    """Customers ordered by id.

    `limit` customers per page after skipping `offset`; `total` counts all of them.
    """
    total = await service.count_customers(db)
    rows = await service.list_customers(db, limit=page.limit, offset=page.offset)
    return Page[CustomerV2Out](
        items=[CustomerV2Out.model_validate(c) for c in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/{customer_id}",
    summary="Get one customer with first and last name",
    responses={status.HTTP_404_NOT_FOUND: {"model": Problem, "description": NOT_FOUND}},
)
async def get_customer_v2(customer_id: int, db: Db) -> CustomerV2Out:
    """Return the customer with this id, as API v2 represents it."""
    customer = await service.get_customer(db, customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    return CustomerV2Out.model_validate(customer)
