"""Password hashing.

Passwords are hashed with Argon2id through pwdlib. The stored value is a
single PHC string (``$argon2id$v=19$m=...,t=...,p=...$<salt>$<hash>``) that
carries the algorithm, its parameters and a random per-password salt.
Argon2 has no input-length limit, so every password the policy accepts
(up to 64 characters of any Unicode text) can be hashed.
"""

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_password_hash = PasswordHash((Argon2Hasher(),))


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    return _password_hash.verify(password, hashed)
