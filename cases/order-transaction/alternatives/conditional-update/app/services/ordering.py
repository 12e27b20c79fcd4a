"""Stock reservation with conditional UPDATEs.

Each line runs
``UPDATE products SET stock = stock - :q WHERE id = :id AND stock >= :q``:
the database applies the check and the decrement as one statement, so stock never goes
negative even under concurrent orders, and repeated lines for one product see the
earlier decrements. If any line fails, the whole transaction is rolled back.
"""

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.errors import DomainError, OutOfStockError, UnknownProductError
from app.models.order import Order, OrderItem
from app.models.product import Product
from app.schemas.order import OrderCreate


async def _reserve(db: AsyncSession, product_id: int, quantity: int) -> int:
    """Take ``quantity`` units of a product; returns its unit price."""
    result = await db.execute(
        update(Product)
        .where(Product.id == product_id, Product.stock >= quantity)
        .values(stock=Product.stock - quantity)
        .execution_options(synchronize_session=False)
    )
    price = await db.scalar(select(Product.price_cents).where(Product.id == product_id))
    if price is None:
        raise UnknownProductError(product_id)
    if result.rowcount != 1:
        raise OutOfStockError(product_id)
    return price


async def create_order(db: AsyncSession, payload: OrderCreate) -> Order:
    try:
        items = []
        for line in payload.items:
            price = await _reserve(db, line.product_id, line.quantity)
            items.append(
                OrderItem(
                    product_id=line.product_id,
                    quantity=line.quantity,
                    unit_price_cents=price,
                )
            )
        order = Order(
            items=items,
            total_cents=sum(i.quantity * i.unit_price_cents for i in items),
        )
        db.add(order)
        await db.commit()
    except DomainError:
        await db.rollback()
        raise
    return order


async def find_order(db: AsyncSession, order_id: int) -> Order | None:
    return await db.scalar(
        select(Order).options(selectinload(Order.items)).where(Order.id == order_id)
    )
