from datetime import UTC, datetime, timedelta

import bcrypt
import jwt

from app.core.config import get_settings

# bcrypt only reads the first 72 bytes; longer input is refused by the schema.
BCRYPT_MAX_BYTES = 72

# Verified against when the username does not exist, so a miss costs as much as a hit.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt())


def hash_password(password: str) -> str:
    """A salted bcrypt hash of ``password`` (``$2b$...``), safe to store."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def verify_password(password: str, hashed: str | None) -> bool:
    """Whether ``password`` matches ``hashed``; ``hashed=None`` burns the same time."""
    raw = password.encode("utf-8")
    if len(raw) > BCRYPT_MAX_BYTES:
        return False
    target = hashed.encode("ascii") if hashed is not None else _DUMMY_HASH
    return bcrypt.checkpw(raw, target) and hashed is not None


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
