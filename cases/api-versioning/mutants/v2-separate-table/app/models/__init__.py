from app.models.customer import Customer
from app.models.customer_v2 import CustomerV2

__all__ = ["Customer", "CustomerV2"]
