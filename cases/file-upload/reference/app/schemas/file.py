from pydantic import BaseModel, ConfigDict, Field


class FileMetadata(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="Opaque file identifier", examples=["3f2a9c..."])
    filename: str = Field(
        description="The client's file name without any directory part",
        examples=["report.pdf"],
    )
    content_type: str = Field(
        description="Type detected from the content", examples=["application/pdf"]
    )
    size: int = Field(description="Size in bytes", examples=[48213])
    sha256: str = Field(
        description="SHA-256 of the content, hex", examples=["9f86d0..."]
    )
