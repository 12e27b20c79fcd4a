from sqlalchemy import select

from app.core.config import get_settings
from app.core.database import SessionLocal
from app.core.security import hash_password, verify_password
from app.models.user import Role, User


async def seed_admin() -> None:
    """Make sure the ADMIN_EMAIL / ADMIN_PASSWORD account exists as an admin (if both are set)."""
    settings = get_settings()
    if not settings.admin_email or not settings.admin_password:
        return
    email = settings.admin_email.lower()
    async with SessionLocal() as session:
        existing = await session.scalar(select(User).where(User.email == email))
        if existing is None:
            session.add(
                User(
                    email=email,
                    password_hash=hash_password(settings.admin_password),
                    role=Role.ADMIN,
                )
            )
        else:
            existing.role = Role.ADMIN
            if not verify_password(settings.admin_password, existing.password_hash):
                existing.password_hash = hash_password(settings.admin_password)
        await session.commit()
