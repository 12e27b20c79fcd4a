"""Order placement: validate every line, then write everything in one transaction."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.exceptions import InsufficientStockError, ProductNotFoundError
from app.models.order import Order, OrderItem
from app.models.product import Product
from app.schemas.order import OrderCreate

# SQLite INTEGER range: no stored id is outside it.
_MAX_SQL_INT = 2**63 - 1


def merge_lines(order_in: OrderCreate) -> dict[int, int]:
    """Total quantity per product, in the order products first appear."""
    merged: dict[int, int] = {}
    for line in order_in.items:
        merged[line.product_id] = merged.get(line.product_id, 0) + line.quantity
    return merged


async def place_order(db: AsyncSession, order_in: OrderCreate) -> int:
    """Store the order and decrement stock atomically; return the new order's id.

    Raises ProductNotFoundError or InsufficientStockError, in which case the
    transaction is rolled back and nothing has been written.
    """
    wanted = merge_lines(order_in)
    lookup = [pid for pid in wanted if -_MAX_SQL_INT <= pid <= _MAX_SQL_INT]

    # On SQLite the transaction starts with BEGIN IMMEDIATE (see app.core.database), so
    # the stock read here cannot change before this transaction commits.
    async with db.begin():
        products = {
            p.id: p
            for p in await db.scalars(
                select(Product)
                .where(Product.id.in_(lookup))
                .execution_options(populate_existing=True)
            )
        }

        # Validate the whole order before changing anything.
        for product_id, quantity in wanted.items():
            product = products.get(product_id)
            if product is None:
                raise ProductNotFoundError(product_id)
            if product.stock < quantity:
                raise InsufficientStockError(product_id, quantity, product.stock)

        order = Order(total_cents=0)
        for product_id, quantity in wanted.items():
            product = products[product_id]
            product.stock -= quantity
            order.items.append(
                OrderItem(
                    product_id=product_id,
                    quantity=quantity,
                    unit_price_cents=product.price_cents,
                )
            )
        order.total_cents = sum(item.line_total_cents for item in order.items)
        db.add(order)
        await db.flush()
        return order.id


async def get_order(db: AsyncSession, order_id: int) -> Order | None:
    if not -_MAX_SQL_INT <= order_id <= _MAX_SQL_INT:
        return None
    return await db.scalar(
        select(Order)
        .where(Order.id == order_id)
        .options(selectinload(Order.items))
        .execution_options(populate_existing=True)
    )
