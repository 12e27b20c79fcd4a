from datetime import UTC, datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base


class Customer(Base):
    """A customer, stored with the name already split for API v2.

    ``last_name`` is NULL when the name has no space at all and "" when it ends right
    after the first space, so that v1's ``name`` round-trips exactly.
    """

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )

    @property
    def name(self) -> str:
        """The v1 name: first and last name joined by the one space between them."""
        if self.last_name is None:
            return self.first_name
        return f"{self.first_name} {self.last_name}"

    @name.setter
    def name(self, value: str) -> None:
        first, space, last = value.partition(" ")
        self.first_name = first
        self.last_name = last if space else None
