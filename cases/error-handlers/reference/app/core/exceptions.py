"""Domain exceptions.

Each carries what the error envelope needs; the handlers in ``app.core.error_handlers``
turn them into responses, so services never build HTTP replies.
"""

from typing import Any


class AppError(Exception):
    """Base class of every error the application raises on purpose."""

    status_code: int = 500
    code: str = "internal_error"
    default_message: str = "Internal server error"

    def __init__(
        self, message: str | None = None, *, details: list[dict[str, Any]] | None = None
    ) -> None:
        self.message = message or self.default_message
        self.details = details or []
        super().__init__(self.message)


class NotFoundError(AppError):
    status_code = 404
    code = "not_found"
    default_message = "Resource not found"


class ConflictError(AppError):
    status_code = 409
    code = "conflict"
    default_message = "The request conflicts with the current state of the resource"


class InsufficientStockError(ConflictError):
    code = "insufficient_stock"
    default_message = "Not enough stock"


class InvalidInputError(AppError):
    """Input that passed schema validation but is still unacceptable (422)."""

    status_code = 422
    code = "validation_error"
    default_message = "Request validation failed"

    @classmethod
    def for_field(cls, field: str, message: str) -> "InvalidInputError":
        return cls(details=[{"field": field, "message": message}])
