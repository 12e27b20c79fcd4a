from dataclasses import dataclass
from typing import Annotated

from fastapi import Query


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def page_params(
    limit: Annotated[
        int,
        Query(
            ge=1,
            le=100,
            description="Page size: how many customers to return, 1 to 100.",
        ),
    ] = 20,
    offset: Annotated[
        int,
        Query(
            ge=0, description="How many customers to skip before the page starts, >= 0."
        ),
    ] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)
