from sqlalchemy import select

from app.core.config import get_settings
from app.core.database import SessionLocal
from app.core.security import hash_password
from app.models.user import Role, User


async def seed_admin() -> None:
    """Create the admin named by ADMIN_EMAIL / ADMIN_PASSWORD if both are set."""
    settings = get_settings()
    if not settings.admin_email or not settings.admin_password:
        return
    email = settings.admin_email.lower()
    async with SessionLocal() as session:
        existing = await session.scalar(select(User).where(User.email == email))
        if existing is not None:
            return
        session.add(
            User(
                email=email,
                password_hash=hash_password(settings.admin_password),
                role=Role.ADMIN,
            )
        )
        await session.commit()
