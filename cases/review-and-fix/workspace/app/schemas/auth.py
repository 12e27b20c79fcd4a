from pydantic import BaseModel, Field


class LoginRequest(BaseModel):
    username: str = Field(..., description="The account's username")
    password: str = Field(..., description="The account's password")


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
