import bcrypt


def hash_password(password: str) -> str:
    """Hash a password with bcrypt (salted); only the hash is ever stored."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("utf-8")
