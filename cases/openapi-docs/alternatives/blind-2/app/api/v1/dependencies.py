from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db

DbSession = Annotated[AsyncSession, Depends(get_db)]

CategoryIdPath = Annotated[
    int, Path(description="Numeric ID of the category.", examples=[3])
]
ProductIdPath = Annotated[
    int, Path(description="Numeric ID of the product.", examples=[17])
]


@dataclass
class ProductListParams:
    category_id: int | None
    limit: int
    offset: int


def product_list_params(
    category_id: Annotated[
        int | None,
        Query(description="Return only products filed under this category ID."),
    ] = None,
    limit: Annotated[
        int,
        Query(
            ge=1, le=100, description="Page size: at most this many products (1-100)."
        ),
    ] = 50,
    offset: Annotated[
        int,
        Query(ge=0, description="Number of products (in ID order) to skip first."),
    ] = 0,
) -> ProductListParams:
    return ProductListParams(category_id=category_id, limit=limit, offset=offset)
