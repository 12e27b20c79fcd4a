"""Writing uploads to, and locating them in, UPLOAD_DIR."""

import os
import uuid
from pathlib import Path

from app.core.config import get_settings


def upload_dir() -> Path:
    directory = get_settings().upload_dir
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def new_storage_name() -> str:
    return uuid.uuid4().hex


def path_for(storage_name: str) -> Path:
    return upload_dir() / storage_name


def write_file(storage_name: str, data: bytes) -> Path:
    """Write ``data`` atomically: readers never see a partial file.

    The bytes go to a hidden temporary file first, which is renamed into place
    only once complete; on any error the temporary file is removed.
    """
    final_path = path_for(storage_name)
    tmp_path = final_path.with_name(f".{storage_name}.part")
    try:
        # "x": never overwrite an existing file.
        with open(tmp_path, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_path, final_path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return final_path


def delete_file(storage_name: str) -> None:
    path_for(storage_name).unlink(missing_ok=True)
