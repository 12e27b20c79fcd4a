from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.engine import Base


class Upload(Base):
    __tablename__ = "uploads"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    filename: Mapped[str] = mapped_column(String, nullable=False)
    content_type: Mapped[str] = mapped_column(String(64), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    # Server-generated name of the blob inside UPLOAD_DIR.
    blob_name: Mapped[str] = mapped_column(String(128), nullable=False, unique=True)
