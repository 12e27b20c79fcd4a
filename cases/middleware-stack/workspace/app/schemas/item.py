from pydantic import BaseModel, Field


class ItemCreate(BaseModel):
    name: str = Field(..., min_length=1, max_length=100, examples=["Desk lamp"])
    price_cents: int = Field(..., ge=0, examples=[2599])


class ItemResponse(ItemCreate):
    id: int
