"""Documented error responses, shared by the endpoint modules."""

from typing import Any

from app.schemas.error import ErrorResponse


def error(description: str) -> dict[str, Any]:
    # The model says it all.
    return {"model": ErrorResponse}


CATEGORY_NOT_FOUND = {404: error("No category with this id")}
PRODUCT_NOT_FOUND = {404: error("No product with this id")}
