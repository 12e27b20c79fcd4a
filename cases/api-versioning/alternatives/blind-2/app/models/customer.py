from datetime import UTC, datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base


class Customer(Base):
    """A customer, shared by API v1 (single ``name``) and API v2 (first/last name).

    The name is stored split at its first space. ``name_rest`` is ``None`` when
    the v1 name has no space at all, and the (possibly empty) text after the
    first space otherwise, so the v1 ``name`` is reproduced exactly.
    """

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    name_rest: Mapped[str | None] = mapped_column(
        "last_name", String(100), default=None
    )
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )

    @property
    def name(self) -> str:
        """The v1 name: first name, a space and the rest (or just the first name)."""
        if self.name_rest is None:
            return self.first_name
        return f"{self.first_name} {self.name_rest}"

    @name.setter
    def name(self, value: str) -> None:
        first, space, rest = value.partition(" ")
        self.first_name = first
        self.name_rest = rest if space else None

    @property
    def last_name(self) -> str:
        """The v2 last name: all after the first space, ``""`` when there is none."""
        return self.name_rest or ""

    @classmethod
    def from_names(cls, *, first_name: str, last_name: str, email: str) -> "Customer":
        """Build a customer from v2 names.

        An empty last name means a v1 name without any space.
        """
        return cls(first_name=first_name, name_rest=last_name or None, email=email)
