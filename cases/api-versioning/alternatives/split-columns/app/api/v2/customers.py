"""API v2 customers: first/last name and a paginated listing."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.models.customer import Customer
from app.schemas.customer_v2 import CustomerCreateV2, CustomerResponseV2
from app.schemas.pagination import Page

router = APIRouter(prefix="/customers", tags=["customers-v2"])


class CustomerRepository:
    def __init__(self, db: Annotated[AsyncSession, Depends(get_db)]) -> None:
        self.db = db

    async def email_taken(self, email: str) -> bool:
        count = await self.db.scalar(
            select(func.count(Customer.id)).where(Customer.email == email)
        )
        return bool(count)

    async def add(self, customer: Customer) -> Customer:
        self.db.add(customer)
        await self.db.commit()
        await self.db.refresh(customer)
        return customer

    async def get(self, customer_id: int) -> Customer | None:
        return await self.db.get(Customer, customer_id)

    async def page(self, limit: int, offset: int) -> tuple[list[Customer], int]:
        total = await self.db.scalar(select(func.count(Customer.id))) or 0
        stmt = select(Customer).order_by(Customer.id).offset(offset).limit(limit)
        return list(await self.db.scalars(stmt)), total


Repo = Annotated[CustomerRepository, Depends()]


def _conflict() -> HTTPException:
    return HTTPException(
        status.HTTP_409_CONFLICT, detail="A customer with this email already exists"
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a customer",
    responses={status.HTTP_409_CONFLICT: {"description": "E-mail already in use"}},
)
async def create_customer(data: CustomerCreateV2, repo: Repo) -> CustomerResponseV2:
    if await repo.email_taken(data.email):
        raise _conflict()
    customer = Customer(
        first_name=data.first_name, last_name=data.last_name or None, email=data.email
    )
    try:
        customer = await repo.add(customer)
    except IntegrityError:
        await repo.db.rollback()
        raise _conflict() from None
    return CustomerResponseV2.model_validate(customer)


@router.get("", summary="List customers (paginated)")
async def list_customers(
    repo: Repo,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page[CustomerResponseV2]:
    rows, total = await repo.page(limit, offset)
    items = [CustomerResponseV2.model_validate(row) for row in rows]
    return Page[CustomerResponseV2](
        items=items, total=total, limit=limit, offset=offset
    )


@router.get(
    "/{customer_id}",
    summary="Get a customer",
    responses={status.HTTP_404_NOT_FOUND: {"description": "Customer not found"}},
)
async def get_customer(customer_id: int, repo: Repo) -> CustomerResponseV2:
    customer = await repo.get(customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Customer not found")
    return CustomerResponseV2.model_validate(customer)
