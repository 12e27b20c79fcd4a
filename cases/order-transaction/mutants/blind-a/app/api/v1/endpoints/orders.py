from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.api.v1.dependencies import DbSession
from app.models.order import Order, OrderItem
from app.models.product import Product
from app.schemas.order import OrderCreate, OrderLineResponse, OrderResponse

router = APIRouter(prefix="/orders", tags=["orders"])

# Largest value SQLite can store in an INTEGER column. No product id or stock is larger,
# so a bigger id cannot exist and a bigger quantity can never be covered.
MAX_SQL_INT = 2**63 - 1

PRODUCT_NOT_FOUND = "Product not found"
INSUFFICIENT_STOCK = "Not enough stock"


def to_response(order: Order) -> OrderResponse:
    return OrderResponse(
        id=order.id,
        total_cents=order.total_cents,
        created_at=order.created_at,
        items=[
            OrderLineResponse(
                product_id=item.product_id,
                quantity=item.quantity,
                unit_price_cents=item.unit_price_cents,
                line_total_cents=item.quantity * item.unit_price_cents,
            )
            for item in order.items
        ],
    )


def _not_found(product_id: int) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_404_NOT_FOUND,
        detail=f"{PRODUCT_NOT_FOUND}: {product_id}",
    )


def _insufficient(product_id: int) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_409_CONFLICT,
        detail=f"{INSUFFICIENT_STOCK} for product {product_id}",
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Place an order",
    description=(
        "Places an order atomically: either every line is accepted and the order, its "
        "lines and all stock decrements are committed together, or nothing is written."
    ),
    responses={
        404: {"description": "A line names a product that does not exist"},
        409: {"description": "Not enough stock for some product"},
    },
)
async def create_order(order_in: OrderCreate, db: DbSession) -> OrderResponse:
    # The stock of a product must cover the sum of its quantities over all lines.
    requested: dict[int, int] = {}
    for line in order_in.items:
        requested[line.product_id] = requested.get(line.product_id, 0) + line.quantity

    try:
        prices: dict[int, int] = {}
        for product_id, quantity in requested.items():
            if not 0 < product_id <= MAX_SQL_INT:
                raise _not_found(product_id)
            if quantity > MAX_SQL_INT:
                if await db.get(Product, product_id) is None:
                    raise _not_found(product_id)
                raise _insufficient(product_id)
            # Check and decrement in one statement, so the stock can never go below
            # zero, even with concurrent orders; the price is read by it too.
            price = await db.scalar(
                update(Product)
                .where(Product.id == product_id, Product.stock > quantity)
                .values(stock=Product.stock - quantity)
                .returning(Product.price_cents)
            )
            if price is None:
                exists = await db.scalar(
                    select(Product.id).where(Product.id == product_id)
                )
                if exists is None:
                    raise _not_found(product_id)
                raise _insufficient(product_id)
            prices[product_id] = price

        lines = [
            OrderItem(
                product_id=line.product_id,
                quantity=line.quantity,
                unit_price_cents=prices[line.product_id],
            )
            for line in order_in.items
        ]
        order = Order(
            total_cents=sum(item.quantity * item.unit_price_cents for item in lines),
            items=lines,
        )
        db.add(order)
        await db.commit()
    except Exception:
        # Nothing of a refused order may remain: undo every decrement made so far.
        await db.rollback()
        raise

    return await get_order(order.id, db)


@router.get(
    "/{order_id}",
    summary="Get an order",
    responses={404: {"description": "Order not found"}},
)
async def get_order(order_id: int, db: DbSession) -> OrderResponse:
    order = None
    if abs(order_id) <= MAX_SQL_INT:
        order = await db.scalar(
            select(Order)
            .where(Order.id == order_id)
            .options(selectinload(Order.items))
            .execution_options(populate_existing=True)
        )
    if order is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="Order not found"
        )
    return to_response(order)
