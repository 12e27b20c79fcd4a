from app.storage.local import BlobTooLargeError, LocalBlobStore, StagedBlob

__all__ = ["BlobTooLargeError", "LocalBlobStore", "StagedBlob"]
