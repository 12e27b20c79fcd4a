from pydantic import BaseModel, Field


class FileOut(BaseModel):
    id: str = Field(description="Opaque identifier of the stored file")
    filename: str = Field(description="Client file name, directory parts removed")
    content_type: str = Field(description="image/png, image/jpeg or application/pdf")
    size: int = Field(description="Size in bytes", ge=0)
    sha256: str = Field(description="Hex SHA-256 of the content")
