import time

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.core.config import config

_hasher = PasswordHash((Argon2Hasher(),))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    return _hasher.verify(password, hashed)


def issue_token(email: str) -> str:
    now = int(time.time())
    claims = {"sub": email, "iat": now, "exp": now + config.token_ttl_minutes * 60}
    return jwt.encode(claims, config.jwt_secret_key, algorithm=config.jwt_algorithm)


def token_subject(token: str) -> str:
    """The e-mail a valid token was issued to; raises ``jwt.PyJWTError`` if invalid."""
    claims = jwt.decode(
        token,
        config.jwt_secret_key,
        algorithms=[config.jwt_algorithm],
        options={"require": ["sub", "exp"]},
    )
    return str(claims["sub"])
