"""Password hashing with argon2-cffi (Argon2id, random 16-byte salt per hash).

``PasswordHasher.hash`` returns a PHC-format string such as
``$argon2id$v=19$m=65536,t=3,p=4$<salt>$<digest>``: algorithm, parameters
and salt travel with the hash.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(plain: str) -> str:
    return _hasher.hash(plain)


def check_password(plain: str, stored: str) -> bool:
    try:
        return _hasher.verify(stored, plain)
    except (VerificationError, InvalidHashError):
        return False
