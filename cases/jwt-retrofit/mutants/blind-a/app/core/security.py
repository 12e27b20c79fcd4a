from datetime import UTC, datetime, timedelta
from typing import Any

import bcrypt
import jwt

from app.core.config import get_jwt_secret_key, settings


def hash_password(password: str) -> str:
    """Hash a password with bcrypt (salted); only the hash is ever stored."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("utf-8")


def verify_password(password: str, hashed_password: str) -> bool:
    """Check a password against a stored bcrypt hash.

    bcrypt only covers 72 bytes and the bcrypt package refuses longer input, so no
    stored hash can match such a password: answer False instead of erroring.
    """
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed_password.encode("utf-8"))
    except ValueError:
        return False


# Checked against when the username is unknown, so that case costs the same time as
# a wrong password and the two cannot be told apart.
DUMMY_PASSWORD_HASH = hash_password("dummy-password-for-timing")


def create_access_token(subject: str, expires_delta: timedelta | None = None) -> str:
    """A signed HS256 JWT: ``sub`` = username, ``iat`` = now, ``exp`` = now + 30 min."""
    now = datetime.now(UTC)
    expire = now + (
        expires_delta or timedelta(minutes=settings.access_token_expire_minutes)
    )
    claims: dict[str, Any] = {"sub": subject, "iat": now, "exp": expire}
    return jwt.encode(claims, get_jwt_secret_key(), algorithm=settings.jwt_algorithm)


def decode_access_token(token: str) -> dict[str, Any]:
    """Verify an access token and return its claims.

    Only HS256 is accepted (so also no ``alg: none``); the signature and ``exp``
    are checked, and ``sub`` and ``iat`` (which we always issue) must be present.
    Other claims are not checked against expectations (e.g. an unknown ``aud``).
    Raises ``jwt.PyJWTError``.
    """
    return jwt.decode(
        token,
        get_jwt_secret_key(),
        algorithms=[settings.jwt_algorithm],
        options={
            "require": ["exp", "iat", "sub"],
            "verify_aud": False,
            "verify_iat": False,
            "verify_jti": False,
        },
    )
