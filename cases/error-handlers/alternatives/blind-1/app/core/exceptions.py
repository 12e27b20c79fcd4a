"""Application (domain) exceptions.

The service layer raises these; it never builds HTTP responses. The handlers in
``app.core.error_handlers`` turn them into the uniform error envelope::

    {"error": {"code": "...", "message": "...", "details": [...]}}
"""

from typing import Any


class AppError(Exception):
    """Base class for every error the application reports to clients."""

    status_code: int = 400
    code: str = "bad_request"
    default_message: str = "Bad request"

    def __init__(
        self,
        message: str | None = None,
        *,
        details: list[dict[str, Any]] | None = None,
        status_code: int | None = None,
        code: str | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.details: list[dict[str, Any]] = list(details or [])
        if status_code is not None:
            self.status_code = status_code
        if code is not None:
            self.code = code
        super().__init__(self.message)


class NotFoundError(AppError):
    status_code = 404
    code = "not_found"
    default_message = "Resource not found"


class ConflictError(AppError):
    status_code = 409
    code = "conflict"
    default_message = "Conflict with the current state of the resource"


class ValidationFailedError(AppError):
    status_code = 422
    code = "validation_error"
    default_message = "Request validation failed"


class InternalError(AppError):
    status_code = 500
    code = "internal_error"
    default_message = "Internal server error"


# --- inventory-specific errors -------------------------------------------------


class ProductNotFoundError(NotFoundError):
    def __init__(self, product_id: int) -> None:
        super().__init__(f"Product {product_id} not found")
        self.product_id = product_id


class DuplicateSkuError(ConflictError):
    def __init__(self, sku: str) -> None:
        super().__init__(f"A product with SKU '{sku}' already exists")
        self.sku = sku


class InsufficientStockError(ConflictError):
    code = "insufficient_stock"

    def __init__(self, product_id: int, available: int, requested: int) -> None:
        super().__init__(
            f"Cannot remove {requested} unit(s) from product {product_id}: "
            f"only {available} in stock"
        )
        self.product_id = product_id
        self.available = available
        self.requested = requested


class InvalidSortFieldError(ValidationFailedError):
    def __init__(self, field: str, allowed: list[str]) -> None:
        allowed_list = ", ".join(allowed)
        message = f"Cannot sort by '{field}'; allowed fields: {allowed_list}"
        super().__init__(
            "Request validation failed",
            details=[{"field": "sort", "message": message}],
        )
        self.field = field
