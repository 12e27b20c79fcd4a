from app.models.order import Order, OrderItem
from app.models.product import Product

__all__ = ["Order", "OrderItem", "Product"]
