"""OpenAPI examples and documented responses, kept out of the endpoint code."""

from typing import Any

from app.schemas.common import HTTPError

CATEGORY = {
    "id": 1,
    "name": "Garden",
    "description": "Tools and furniture for the garden",
}
PRODUCT = {
    "id": 7,
    "name": "Cordless drill",
    "sku": "DRL-18V-001",
    "price": 89.9,
    "quantity": 12,
    "category_id": 1,
    "created_at": "2025-01-31T09:30:00Z",
}

CATEGORY_CREATE_EXAMPLES = {
    "garden": {
        "summary": "A category with a description",
        "value": {
            "name": "Garden",
            "description": "Tools and furniture for the garden",
        },
    },
    "minimal": {"summary": "Name only", "value": {"name": "Tools"}},
}
PRODUCT_CREATE_EXAMPLES = {
    "drill": {
        "summary": "A product in stock",
        "value": {k: v for k, v in PRODUCT.items() if k not in ("id", "created_at")},
    }
}
PRODUCT_UPDATE_EXAMPLES = {
    "restock": {
        "summary": "Change price and stock",
        "value": {"price": 79.9, "quantity": 30},
    },
    "rename": {"summary": "Rename only", "value": {"name": "Cordless drill 18V"}},
}


def ok(example: Any, status: int = 200) -> dict[int | str, dict[str, Any]]:
    return {status: {"content": {"application/json": {"example": example}}}}


def err(status: int, description: str) -> dict[int | str, dict[str, Any]]:
    return {
        status: {
            "model": HTTPError,
            "description": description,
            "content": {"application/json": {"example": {"detail": description}}},
        }
    }
