from sqlalchemy.orm import Session

from app.models.upload import Upload


class UploadRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, upload_id: str) -> Upload | None:
        return self.session.get(Upload, upload_id)

    def add(self, upload: Upload) -> Upload:
        self.session.add(upload)
        self.session.commit()
        return upload
