import time

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.bcrypt import BcryptHasher

from app.core.config import jwt_settings
from app.core.exceptions import AuthenticationError

ALGORITHM = "HS256"

# bcrypt only: the accounts seeded before this change already carry bcrypt hashes.
password_hash = PasswordHash((BcryptHasher(),))


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed_password: str) -> bool:
    return password_hash.verify(password, hashed_password)


def issue_access_token(username: str) -> str:
    issued_at = int(time.time())
    claims = {
        "sub": username,
        "iat": issued_at,
        "exp": issued_at + jwt_settings.access_token_ttl_seconds,
    }
    return jwt.encode(claims, jwt_settings.secret_key.get_secret_value(), ALGORITHM)


def subject_of(token: str) -> str:
    """The username a valid token was issued to; ``AuthenticationError`` otherwise."""
    try:
        claims = jwt.decode(
            token,
            jwt_settings.secret_key.get_secret_value(),
            algorithms=[ALGORITHM],
            options={"require": ["exp"]},
        )
    except jwt.PyJWTError as exc:
        raise AuthenticationError("Invalid or expired token") from exc
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise AuthenticationError("Invalid token subject")
    return subject
