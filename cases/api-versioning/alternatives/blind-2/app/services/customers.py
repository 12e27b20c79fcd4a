"""Data access for customers, used by API v2."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.customer import Customer


class EmailAlreadyRegisteredError(Exception):
    """Another customer already uses this e-mail address."""


async def email_taken(db: AsyncSession, email: str) -> bool:
    return (
        await db.scalar(select(Customer.id).where(Customer.email == email)) is not None
    )


async def add_customer(db: AsyncSession, customer: Customer) -> Customer:
    if await email_taken(db, customer.email):
        raise EmailAlreadyRegisteredError(customer.email)
    db.add(customer)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise EmailAlreadyRegisteredError(customer.email) from None
    # Reload: created_at then reads exactly as on any later GET (v1 or v2).
    await db.refresh(customer)
    return customer


async def get_customer(db: AsyncSession, customer_id: int) -> Customer | None:
    return await db.get(Customer, customer_id)


async def count_customers(db: AsyncSession) -> int:
    return (await db.scalar(select(func.count(Customer.id)))) or 0


async def list_customers(
    db: AsyncSession, *, limit: int, offset: int
) -> Sequence[Customer]:
    result = await db.scalars(
        select(Customer).order_by(Customer.id).offset(offset).limit(limit)
    )
    return result.all()
