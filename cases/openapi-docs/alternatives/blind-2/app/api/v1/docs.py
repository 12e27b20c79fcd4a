"""OpenAPI building blocks shared by the v1 endpoints (examples and error responses)."""

from typing import Any

from app.schemas.common import ErrorResponse

CATEGORY = {
    "id": 3,
    "name": "Electronics",
    "description": "Phones, laptops and accessories",
}
CATEGORY_CREATE = {
    "name": "Electronics",
    "description": "Phones, laptops and accessories",
}

PRODUCT = {
    "id": 17,
    "name": "USB-C charger 65W",
    "sku": "CHG-65W-USBC",
    "price": 39.9,
    "quantity": 120,
    "category_id": 3,
    "created_at": "2025-03-14T10:15:00",
}
PRODUCT_CREATE = {
    "name": "USB-C charger 65W",
    "sku": "CHG-65W-USBC",
    "price": 39.9,
    "quantity": 120,
    "category_id": 3,
}
PRODUCT_UPDATE = {"price": 34.5, "quantity": 80}


def body_examples(summary: str, value: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`openapi_examples` for a request body with one complete example."""
    return {"default": {"summary": summary, "value": value}}


def success(description: str, example: Any) -> dict[str, Any]:
    """A documented success response with an example of the whole body."""
    return {
        "description": description,
        "content": {"application/json": {"example": example}},
    }


def error(description: str, detail: str) -> dict[str, Any]:
    """A documented `ErrorResponse` saying when it happens."""
    return {
        "model": ErrorResponse,
        "description": description,
        "content": {"application/json": {"example": {"detail": detail}}},
    }
