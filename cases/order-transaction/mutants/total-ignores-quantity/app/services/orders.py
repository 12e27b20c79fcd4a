"""Placing an order: one transaction that checks and reserves stock for every line."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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
    requested: dict[int, int] = {}
    for line in order_in.items:
        requested[line.product_id] = requested.get(line.product_id, 0) + line.quantity

    rows = await db.scalars(
        select(Product).where(Product.id.in_(requested)).with_for_update()
    )
    products = {product.id: product for product in rows}

    for product_id, quantity in requested.items():
        product = products.get(product_id)
        if product is None:
            raise ProductNotFoundError(product_id)
        if product.stock < quantity:
            raise InsufficientStockError(product_id, quantity, product.stock)

    items = [
        OrderItem(
            product_id=line.product_id,
            quantity=line.quantity,
            unit_price_cents=products[line.product_id].price_cents,
        )
        for line in order_in.items
    ]
    order = Order(
        items=items,
        total_cents=sum(item.unit_price_cents for item in items),
    )
    for product_id, quantity in requested.items():
        products[product_id].stock -= quantity

    db.add(order)
    await db.commit()
    return order
