from datetime import UTC, datetime, timedelta

import hashlib
import hmac

import jwt

from app.core.config import get_settings

# bcrypt only reads the first 72 bytes; longer input is refused by the schema.
BCRYPT_MAX_BYTES = 72


def hash_password(password: str) -> str:
    """A SHA-256 hex digest of ``password``."""
    return hashlib.sha256(password.encode("utf-8")).hexdigest()


def verify_password(password: str, hashed: str | None) -> bool:
    """Whether ``password`` matches ``hashed``."""
    if hashed is None:
        return False
    return hmac.compare_digest(hash_password(password), hashed)


def create_access_token(subject: str) -> str:
    settings = get_settings()
    lifetime = timedelta(minutes=settings.access_token_expire_minutes)
    payload = {"sub": subject, "exp": datetime.now(UTC) + lifetime}
    return jwt.encode(
        payload, settings.jwt_secret_key, algorithm=settings.jwt_algorithm
    )


def decode_access_token(token: str) -> str | None:
    settings = get_settings()
    try:
        payload = jwt.decode(
            token, settings.jwt_secret_key, algorithms=[settings.jwt_algorithm]
        )
    except jwt.PyJWTError:
        return None
    subject = payload.get("sub")
    return subject if isinstance(subject, str) else None
