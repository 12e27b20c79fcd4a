"""Reusable field types shared by the invoice schemas."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Money = Annotated[float, Field(ge=0, examples=[19.99])]


def normalise_code(value: object) -> object:
    """Strip and upper-case strings; anything else is left to type validation."""
    if isinstance(value, str):
        return value.strip().upper()
    return value


class StrictModel(BaseModel):
    """Request models reject fields they do not declare."""

    model_config = ConfigDict(extra="forbid")
