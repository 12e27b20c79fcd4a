from pydantic import BaseModel, ConfigDict


class FileMetadata(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "4f1c2a9e0b7d4c1e9a3b5d6f7e8a9b0c",
                    "filename": "evil.png",
                    "content_type": "image/png",
                    "size": 1024,
                    "sha256": "9f86d081884c7d659a2feaa0c55ad015"
                    "a3bf4f1b2b0b822cd15d6c15b0f00a08",
                }
            ]
        },
    )

    id: str
    filename: str
    content_type: str
    size: int
    sha256: str


class Message(BaseModel):
    detail: str
