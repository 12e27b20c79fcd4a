from datetime import UTC, datetime, timedelta

import bcrypt
import jwt
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.core.config import AuthSettings

BCRYPT_MAX_BYTES = 72


def hash_password(password: str) -> str:
    """Hash a password with bcrypt (salted); only the hash is ever stored."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("utf-8")


def verify_password(password: str, hashed_password: str) -> bool:
    """True if ``password`` matches the bcrypt hash.

    Passwords over bcrypt's 72-byte limit cannot have been hashed (hashpw refuses
    them), so they never match.
    """
    raw = password.encode("utf-8")
    if len(raw) > BCRYPT_MAX_BYTES:
        return False
    try:
        return bcrypt.checkpw(raw, hashed_password.encode("utf-8"))
    except ValueError:  # not a bcrypt hash
        return False


_TIMING_HASH = hash_password("timing-equaliser")


def burn_password_check(password: str) -> None:
    """Spend one bcrypt check so an unknown username is as slow as a bad password."""
    verify_password(password, _TIMING_HASH)


class InvalidTokenError(Exception):
    """The bearer token is not an acceptable access token."""


class AccessTokenClaims(BaseModel):
    """The claims we rely on; any other claim is allowed and ignored."""

    model_config = ConfigDict(extra="ignore")

    sub: str = Field(min_length=1)
    exp: int


def create_access_token(username: str, auth: AuthSettings) -> str:
    issued = datetime.now(UTC)
    expires = issued + timedelta(minutes=auth.access_token_expire_minutes)
    return jwt.encode(
        {
            "sub": username,
            "iat": int(issued.timestamp()),
            "exp": int(expires.timestamp()),
        },
        auth.jwt_secret_key.get_secret_value(),
        algorithm=auth.jwt_algorithm,
    )


def parse_access_token(token: str, auth: AuthSettings) -> AccessTokenClaims:
    """Check signature (HS256 only, never ``none``) and expiry; return the claims."""
    try:
        claims = jwt.decode(
            token,
            auth.jwt_secret_key.get_secret_value(),
            algorithms=[auth.jwt_algorithm],
            options={
                "require": ["exp"],
                # Whoever minted the token, extra claims must not make it fail.
                "verify_aud": False,
                "verify_iss": False,
                "verify_iat": False,
                "verify_jti": False,
                "verify_sub": False,  # checked below
            },
        )
        return AccessTokenClaims.model_validate(claims)
    except (jwt.PyJWTError, ValidationError) as exc:
        raise InvalidTokenError(str(exc)) from exc
