from datetime import UTC, datetime
from typing import Any

import bcrypt
import jwt
from fastapi.concurrency import run_in_threadpool

from app.core.config import settings

_codec = jwt.PyJWT()
_ALGORITHMS = ["HS256"]


def hash_password(password: str) -> str:
    """Hash a password with bcrypt (salted); only the hash is ever stored."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("utf-8")


async def password_matches(password: str, hashed_password: str) -> bool:
    """bcrypt is CPU-bound: check off the event loop."""
    try:
        return await run_in_threadpool(
            bcrypt.checkpw, password.encode("utf-8"), hashed_password.encode("utf-8")
        )
    except ValueError:
        return False


def encode_token(subject: str) -> str:
    now = datetime.now(UTC)
    payload = {"sub": subject, "exp": now + settings.access_token_lifetime}
    return _codec.encode(
        payload, settings.jwt_secret_key.get_secret_value(), algorithm=_ALGORITHMS[0]
    )


def decode_token(token: str) -> dict[str, Any]:
    """Raise ``jwt.InvalidTokenError`` if the signature, alg, expiry or claims fail."""
    return _codec.decode(
        token,
        settings.jwt_secret_key.get_secret_value(),
        algorithms=_ALGORITHMS,
        options={"require": ["exp", "sub"]},
    )
