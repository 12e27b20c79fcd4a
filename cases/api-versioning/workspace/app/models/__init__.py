from app.models.customer import Customer

__all__ = ["Customer"]
