from fastapi import APIRouter, HTTPException, status

from app.api.v1.dependencies import DbSession
from app.schemas.order import OrderCreate, OrderResponse
from app.services import orders as order_service

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Place an order",
    description=(
        "All or nothing: the order, its lines and every stock decrement are stored "
        "together, or nothing is stored. Lines for the same product are merged."
    ),
    responses={
        404: {"description": "A line names a product that does not exist"},
        409: {"description": "Not enough stock for some product"},
    },
)
async def create_order(order_in: OrderCreate, db: DbSession) -> OrderResponse:
    order_id = await order_service.place_order(db, order_in)
    return await get_order(order_id, db)


@router.get(
    "/{order_id}",
    summary="Get an order",
    responses={404: {"description": "Order not found"}},
)
async def get_order(order_id: int, db: DbSession) -> OrderResponse:
    order = await order_service.get_order(db, order_id)
    if order is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="Order not found"
        )
    return OrderResponse.model_validate(order)
