"""Harness-owned set-up for the file-upload app (runs in the app's process, before serving).

The hidden suite watches the tree three levels above ``UPLOAD_DIR`` (``<root>/data/uploads/
store``, the root named ``srv``), so a file that escapes through up to three ``../`` lands
where it is seen. The suite runs as another user and sees that tree read-only, so the tree's
skeleton and a file no request may change (``<root>/data/secret.txt``) are laid out here, as
the app's user, before the app is served. The file is written only when it is missing: a
restart keeps whatever the app did to it.

If the set-up fails, the app is served anyway and ``GET /__evals__/shim-error`` says why.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path
from typing import Any

ERROR_PATH = "/__evals__/shim-error"
SECRET_NAME = "secret.txt"
SECRET_CONTENT = b"must never be served or replaced\n"


def _lay_out_tree() -> None:
    upload_dir = Path(os.path.abspath(os.environ["UPLOAD_DIR"]))
    root = upload_dir.parents[2]
    upload_dir.parent.mkdir(parents=True, exist_ok=True)
    secret = root / "data" / SECRET_NAME
    try:
        fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(SECRET_CONTENT)


def install(app: Any) -> None:
    try:
        _lay_out_tree()
    except Exception as exc:  # never take the app down: report it instead
        problem = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:500]

        async def shim_error() -> dict[str, str]:
            return {"error": f"laying out the watched upload tree failed: {problem}"}

        try:
            app.add_api_route(ERROR_PATH, shim_error, methods=["GET"], include_in_schema=False)
        except Exception:  # noqa: S110 - the tests report the missing tree themselves
            pass
