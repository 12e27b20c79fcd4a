from pydantic import BaseModel, Field


class TokenResponse(BaseModel):
    access_token: str = Field(..., description="JWT signed with HS256")
    token_type: str = Field(default="bearer", examples=["bearer"])
