"""Password hashing with bcrypt.

bcrypt only reads the first 72 bytes of its input and bcrypt >= 5 refuses longer
input, so a password whose UTF-8 encoding exceeds 72 bytes is first reduced to the
base64 of its SHA-256 digest (44 bytes). The stored value is always a standard salted
``$2b$`` hash.
"""

import base64
import hashlib

import bcrypt

_BCRYPT_MAX_BYTES = 72


def _bcrypt_input(password: str) -> bytes:
    raw = password.encode("utf-8")
    if len(raw) > _BCRYPT_MAX_BYTES:
        return base64.b64encode(hashlib.sha256(raw).digest())
    return raw


def hash_password(password: str) -> str:
    return bcrypt.hashpw(_bcrypt_input(password), bcrypt.gensalt()).decode("ascii")


def verify_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(_bcrypt_input(password), hashed.encode("ascii"))
    except ValueError:
        return False
