from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):  # noqa: UP046  (Python 3.11: no PEP 695 syntax)
    """One page of a collection, with the size of the whole collection."""

    items: list[T]
    total: int = Field(..., ge=0, description="Items in the whole collection")
    limit: int = Field(..., description="Maximum items per page")
    offset: int = Field(..., description="Items skipped before this page")
