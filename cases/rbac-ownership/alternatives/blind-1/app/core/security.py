import base64
import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import bcrypt
import jwt

from app.core.config import get_jwt_secret_key, settings


def _prehash(password: str) -> bytes:
    """SHA-256 + base64 the password so bcrypt never sees more than 72 bytes.

    bcrypt 5 refuses inputs longer than 72 bytes; a 64-character password of
    multi-byte characters can exceed that.
    """
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str) -> str:
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt()).decode("utf-8")


def verify_password(password: str, hashed_password: str) -> bool:
    try:
        return bcrypt.checkpw(_prehash(password), hashed_password.encode("utf-8"))
    except ValueError:
        return False


# Used to spend the same time on an unknown e-mail as on a wrong password.
DUMMY_PASSWORD_HASH = hash_password("not-a-real-password")


def create_access_token(subject: str, expires_delta: timedelta | None = None) -> str:
    now = datetime.now(UTC)
    expire = now + (
        expires_delta or timedelta(minutes=settings.access_token_expire_minutes)
    )
    payload: dict[str, Any] = {"sub": subject, "iat": now, "exp": expire}
    return jwt.encode(payload, get_jwt_secret_key(), algorithm=settings.jwt_algorithm)


def decode_access_token(token: str) -> dict[str, Any]:
    """Verify signature, algorithm and expiry; raise ``jwt.PyJWTError`` if invalid."""
    return jwt.decode(
        token,
        get_jwt_secret_key(),
        algorithms=[settings.jwt_algorithm],
        options={"require": ["exp", "sub"]},
    )
