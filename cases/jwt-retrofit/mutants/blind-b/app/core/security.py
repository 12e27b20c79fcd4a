from datetime import UTC, datetime, timedelta
from typing import Any

import bcrypt
import jwt

from app.core.config import get_jwt_secret_key, settings

# HMAC algorithms accepted on incoming tokens (all use the shared secret).
ALLOWED_ALGORITHMS = ["HS256", "HS384", "HS512"]


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

    Only HMAC algorithms are accepted (so no ``alg: none``); the signature and
    ``exp`` are checked and ``sub`` must be present. Other claims are neither
    required nor checked against expectations (e.g. an ``aud`` we do not know),
    so any token signed with our key is usable whoever minted it.
    Raises ``jwt.PyJWTError``.
    """
    return jwt.decode(
        token,
        get_jwt_secret_key(),
        algorithms=ALLOWED_ALGORITHMS,
        options={
            "require": ["exp", "sub"],
            "verify_aud": False,
            "verify_iat": False,
            "verify_jti": False,
        },
    )
