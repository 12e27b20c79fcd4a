from collections import Counter

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select

from app.api.v1.dependencies import DbSession
from app.models.order import Order, OrderItem
from app.models.product import Product
from app.schemas.order import OrderCreate, OrderResponse

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post(
    "",
    response_model=OrderResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Place an order",
    responses={
        404: {"description": "Unknown product"},
        409: {"description": "No stock"},
    },
)
def create_order(order_in: OrderCreate, db: DbSession) -> Order:
    wanted: Counter[int] = Counter()
    for line in order_in.items:
        wanted[line.product_id] += line.quantity

    # One transaction: nothing is flushed until every line has been checked.
    with db.begin():
        products = {
            p.id: p
            for p in db.scalars(
                select(Product).where(Product.id.in_(wanted)).with_for_update()
            )
        }
        if unknown := sorted(set(wanted) - set(products)):
            raise HTTPException(
                status.HTTP_404_NOT_FOUND, detail=f"Unknown product(s): {unknown}"
            )
        if short := [pid for pid, qty in wanted.items() if products[pid].stock < qty]:
            raise HTTPException(
                status.HTTP_409_CONFLICT, detail=f"Insufficient stock for: {short}"
            )
        for pid, qty in wanted.items():
            products[pid].stock -= qty
        order = Order(
            items=[
                OrderItem(
                    product_id=pid,
                    quantity=qty,
                    unit_price_cents=products[pid].price_cents,
                )
                for pid, qty in wanted.items()
            ]
        )
        order.total_cents = sum(i.quantity * i.unit_price_cents for i in order.items)
        db.add(order)
    return order


@router.get(
    "/{order_id}",
    response_model=OrderResponse,
    summary="Get an order",
    responses={404: {"description": "Order not found"}},
)
def get_order(order_id: int, db: DbSession) -> Order:
    order = db.get(Order, order_id)
    if order is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Order not found")
    return order
