from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ItemBase(BaseModel):
    title: str = Field(..., min_length=1, max_length=200, examples=["Desk lamp"])
    description: str | None = Field(None, max_length=1000)
    price_cents: int = Field(..., ge=0, description="Price in cents", examples=[1999])


class ItemCreate(ItemBase):
    owner_id: int = Field(..., description="Id of the owning user")


class ItemUpdate(BaseModel):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=1000)
    price_cents: int | None = Field(None, ge=0)


class ItemResponse(ItemBase):
    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
    created_at: datetime
