from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse


class DomainError(Exception):
    """A refusal that maps onto an HTTP error with a ``{"detail": ...}`` body."""

    status_code: int = status.HTTP_400_BAD_REQUEST

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ProductNotFoundError(DomainError):
    status_code = status.HTTP_404_NOT_FOUND

    def __init__(self, product_id: int) -> None:
        super().__init__(f"Product {product_id} not found")
        self.product_id = product_id


class InsufficientStockError(DomainError):
    status_code = status.HTTP_409_CONFLICT

    def __init__(self, product_id: int, requested: int, available: int) -> None:
        super().__init__(
            f"Not enough stock for product {product_id}: "
            f"{requested} requested, {available} available"
        )
        self.product_id = product_id


async def _domain_error_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail})


def register_exception_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error_handler)
