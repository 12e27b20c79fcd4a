"""Domain exceptions of the inventory API.

Each exception knows the HTTP status, the machine-readable ``code`` and the
human-readable ``message`` it maps to; ``app.core.error_handling`` renders it as
the error envelope. Services raise these and never touch HTTP responses.
"""

from typing import Any, ClassVar


class AppException(Exception):
    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFound(AppException):
    status_code = 404
    code = "not_found"


class Conflict(AppException):
    status_code = 409
    code = "conflict"


class InsufficientStock(Conflict):
    code = "insufficient_stock"

    def __init__(self, product_id: int, available: int, requested: int) -> None:
        super().__init__(
            f"Insufficient stock for product {product_id}: "
            f"requested {requested}, available {available}"
        )
        self.product_id = product_id
        self.available = available
        self.requested = requested


class ProductNotFound(NotFound):
    def __init__(self, product_id: int) -> None:
        super().__init__(f"Product {product_id} not found")
        self.product_id = product_id


class SkuAlreadyExists(Conflict):
    def __init__(self, sku: str) -> None:
        super().__init__(f"SKU {sku} already exists")
        self.sku = sku


class InvalidRequest(AppException):
    """A request that passed schema validation but is still invalid."""

    status_code = 422
    code = "validation_error"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(
            "Request validation failed", [{"field": field, "message": problem}]
        )
