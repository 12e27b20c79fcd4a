from pydantic import BaseModel, Field


class Token(BaseModel):
    """Body of a successful POST /auth/token (RFC 6749 section 5.1)."""

    access_token: str = Field(..., description="A JWT to send as a Bearer token")
    token_type: str = Field(default="bearer", examples=["bearer"])
