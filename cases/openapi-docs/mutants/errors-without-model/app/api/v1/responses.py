"""Documented error responses, shared by the endpoint modules."""

from typing import Any


def error(description: str) -> dict[str, Any]:
    return {"description": description}


CATEGORY_NOT_FOUND = {404: error("No category with this id")}
PRODUCT_NOT_FOUND = {404: error("No product with this id")}
