"""Customer data access shared by every API version.

Both versions read and write the same ``customers`` table; only the representation
differs. v1 exposes the stored ``name``; v2 splits it at the first space.
"""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.customer import Customer


class EmailAlreadyRegisteredError(Exception):
    """Another customer already uses this e-mail address."""


def split_name(name: str) -> tuple[str, str]:
    """Split a stored name at its first space.

    ``"Grace Brewster Hopper"`` -> ``("Grace", "Brewster Hopper")``; a name without a
    space has an empty last name.
    """
    first, _, last = name.partition(" ")
    return first, last


def join_name(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}"


async def create_customer(db: AsyncSession, *, name: str, email: str) -> Customer:
    if await db.scalar(select(Customer.id).where(Customer.email == email)):
        raise EmailAlreadyRegisteredError(email)
    customer = Customer(name=name, email=email)
    db.add(customer)
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        raise EmailAlreadyRegisteredError(email) from exc
    await db.refresh(customer)
    return customer


async def get_customer(db: AsyncSession, customer_id: int) -> Customer | None:
    return await db.get(Customer, customer_id)


async def list_customers(db: AsyncSession) -> Sequence[Customer]:
    return (await db.scalars(select(Customer).order_by(Customer.id))).all()


async def page_customers(
    db: AsyncSession, *, limit: int, offset: int
) -> tuple[Sequence[Customer], int]:
    total = await db.scalar(select(func.count()).select_from(Customer))
    rows = await db.scalars(
        select(Customer).order_by(Customer.id).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)
