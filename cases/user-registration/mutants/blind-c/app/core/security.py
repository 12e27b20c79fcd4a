"""Password hashing.

Passwords are hashed with bcrypt (cost 12). The stored value is a single
modular-crypt string (``$2b$12$<salt><hash>``) that carries the algorithm,
its cost parameter and a random per-password salt.
"""

import bcrypt

_ROUNDS = 12


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(_ROUNDS)).decode("ascii")


def verify_password(password: str, hashed: str) -> bool:
    return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
