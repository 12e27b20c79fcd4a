from typing import Literal

from pydantic import BaseModel, Field


class Token(BaseModel):
    """OAuth2 token response (RFC 6749 section 5.1)."""

    access_token: str = Field(..., description="Signed JWT (HS256)")
    token_type: Literal["bearer"] = Field(default="bearer", description="Always bearer")
