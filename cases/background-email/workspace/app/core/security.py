"""Password hashing: bcrypt over the password's SHA-256 digest.

bcrypt itself refuses input over 72 bytes; the digest (base64, 44 bytes) lets a password of
any valid length (up to 128 characters, up to 512 bytes) be hashed and checked.
"""

import base64
import hashlib

import bcrypt


def _digest(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str) -> str:
    return bcrypt.hashpw(_digest(password), bcrypt.gensalt()).decode("ascii")


def verify_password(password: str, hashed: str) -> bool:
    return bcrypt.checkpw(_digest(password), hashed.encode("ascii"))
