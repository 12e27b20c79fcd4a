from pydantic import BaseModel, ConfigDict, Field


class FileMetadata(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(..., description="Opaque file id")
    filename: str = Field(..., description="Client file name, last path component only")
    content_type: str = Field(
        ..., description="Detected media type", examples=["image/png"]
    )
    size: int = Field(..., description="Size in bytes", ge=0)
    sha256: str = Field(..., description="Hex SHA-256 of the content")


class ErrorResponse(BaseModel):
    detail: str
