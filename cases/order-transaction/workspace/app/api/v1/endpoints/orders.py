from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.v1.dependencies import DbSession
from app.models.order import Order, OrderItem
from app.models.product import Product
from app.schemas.order import OrderCreate, OrderLineResponse, OrderResponse

router = APIRouter(prefix="/orders", tags=["orders"])


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


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Place an order",
)
async def create_order(order_in: OrderCreate, db: DbSession) -> OrderResponse:
    # TODO: this was written in a hurry, see the bug reports.
    order = Order(total_cents=0)
    db.add(order)
    await db.commit()
    await db.refresh(order)

    total = 0
    for line in order_in.items:
        product = await db.get(Product, line.product_id)
        if product is None:
            raise HTTPException(status_code=404, detail="Product not found")
        if product.stock < line.quantity:
            raise HTTPException(status_code=400, detail="Not enough stock")
        product.stock -= line.quantity
        db.add(
            OrderItem(
                order_id=order.id,
                product_id=product.id,
                quantity=line.quantity,
                unit_price_cents=product.price_cents,
            )
        )
        total += product.price_cents * line.quantity
        await db.commit()

    order.total_cents = total
    await db.commit()
    return await get_order(order.id, db)


@router.get(
    "/{order_id}",
    summary="Get an order",
    responses={404: {"description": "Order not found"}},
)
async def get_order(order_id: int, db: DbSession) -> OrderResponse:
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
