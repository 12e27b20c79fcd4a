from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, status

from app.api.v1.dependencies import DbSession
from app.models.order import Order
from app.schemas.order import OrderCreate, OrderLineResponse, OrderResponse
from app.services import ordering

router = APIRouter(prefix="/orders", tags=["orders"])


def serialize(order: Order) -> OrderResponse:
    lines = [
        OrderLineResponse(
            product_id=i.product_id,
            quantity=i.quantity,
            unit_price_cents=i.unit_price_cents,
            line_total_cents=i.quantity * i.unit_price_cents,
        )
        for i in order.items
    ]
    return OrderResponse(
        id=order.id,
        total_cents=order.total_cents,
        created_at=order.created_at,
        items=lines,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Place an order (all lines or nothing)",
    responses={
        404: {"description": "Unknown product"},
        409: {"description": "Insufficient stock"},
    },
)
async def place_order(payload: OrderCreate, db: DbSession) -> OrderResponse:
    return serialize(await ordering.create_order(db, payload))


@router.get(
    "/{order_id}",
    summary="Get an order",
    responses={404: {"description": "Order not found"}},
)
async def read_order(
    order_id: Annotated[int, Path(ge=1)], db: DbSession
) -> OrderResponse:
    order = await ordering.find_order(db, order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="Order not found")
    return serialize(order)
