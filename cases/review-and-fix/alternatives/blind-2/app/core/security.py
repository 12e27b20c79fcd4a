import base64
import hashlib
from datetime import UTC, datetime, timedelta

import bcrypt
import jwt

from app.core.config import get_settings

BCRYPT_ROUNDS = 12
# bcrypt only looks at 72 bytes of input (and bcrypt>=5 rejects longer input).
# Passwords may be up to 72 *characters*, i.e. more than 72 bytes in UTF-8.
# Rather than truncating (which would make only a prefix of such a password
# significant), inputs longer than 72 bytes are first reduced to the base64 of
# their SHA-256 (44 bytes) and that is bcrypt-hashed: every character counts.
_BCRYPT_MAX_BYTES = 72


def _secret(password: str) -> bytes:
    raw = password.encode("utf-8")
    if len(raw) <= _BCRYPT_MAX_BYTES:
        return raw
    return base64.b64encode(hashlib.sha256(raw).digest())


def hash_password(password: str) -> str:
    """Salted bcrypt hash (the salt is embedded in the result)."""
    return bcrypt.hashpw(_secret(password), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(_secret(password), password_hash.encode())
    except ValueError:  # not a bcrypt hash
        return False


# Checked against when the username is unknown, so that login takes as long for
# unknown users as for known ones.
DUMMY_PASSWORD_HASH = hash_password("not-a-real-password")


def create_access_token(subject: str) -> str:
    settings = get_settings()
    now = datetime.now(UTC)
    payload = {
        "sub": subject,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_expire_minutes),
    }
    return jwt.encode(
        payload, settings.jwt_secret_key, algorithm=settings.jwt_algorithm
    )


def decode_access_token(token: str) -> str | None:
    settings = get_settings()
    try:
        payload = jwt.decode(
            token,
            settings.jwt_secret_key,
            algorithms=[settings.jwt_algorithm],
            options={"require": ["sub", "exp"]},
        )
    except jwt.PyJWTError:
        return None
    subject = payload.get("sub")
    return subject if isinstance(subject, str) else None
