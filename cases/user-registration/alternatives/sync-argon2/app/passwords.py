"""Argon2id password hashing via pwdlib.

Parameters follow OWASP's Argon2id baseline (19 MiB, 2 iterations, 1 lane): a salted,
memory-hard hash that still answers a registration quickly.
"""

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(memory_cost=19_456, time_cost=2, parallelism=1),))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    return _hasher.verify(password, password_hash)
