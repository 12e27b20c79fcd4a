from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.v1.dependencies import DbSession
from app.models.order import Order
from app.schemas.order import OrderCreate, OrderLineResponse, OrderResponse
from app.services.orders import OrderError, ProductNotFoundError, place_order

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
    description=(
        "Reserves stock for every line atomically: either the whole order is stored "
        "and every product's stock decremented, or nothing is written."
    ),
    responses={
        404: {"description": "A product in the order does not exist"},
        409: {"description": "Not enough stock for at least one product"},
    },
)
async def create_order(order_in: OrderCreate, db: DbSession) -> OrderResponse:
    try:
        order = await place_order(db, order_in)
    except OrderError as exc:
        await db.rollback()
        code = (
            status.HTTP_404_NOT_FOUND
            if isinstance(exc, ProductNotFoundError)
            else status.HTTP_409_CONFLICT
        )
        raise HTTPException(status_code=code, detail=str(exc)) from exc
    return to_response(order)


@router.get(
    "/{order_id}",
    summary="Get an order",
    responses={404: {"description": "Order not found"}},
)
async def get_order(order_id: int, db: DbSession) -> OrderResponse:
    order = await db.scalar(
        select(Order).where(Order.id == order_id).options(selectinload(Order.items))
    )
    if order is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="Order not found"
        )
    return to_response(order)
