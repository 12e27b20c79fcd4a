"""Domain errors and the handlers that turn them into HTTP responses."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


class DomainError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class UnknownProductError(DomainError):
    status_code = 404

    def __init__(self, product_id: int) -> None:
        super().__init__(f"Product {product_id} does not exist")


class OutOfStockError(DomainError):
    status_code = 409

    def __init__(self, product_id: int) -> None:
        super().__init__(f"Not enough stock for product {product_id}")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def handle_domain_error(_: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail})
