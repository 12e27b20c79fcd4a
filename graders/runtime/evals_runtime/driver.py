"""One sandboxed grading process: the import check, then the hidden suite, in process.

    python -m evals_runtime.driver OUT_DIR ENTRYPOINT WORK_DIR -- PYTEST_ARGS...

Import results stream to ``OUT_DIR/imports.jsonl`` (a "start" line before each module, so a
module that kills the process is still named); test results stream through the plugin. The
process ends with ``os._exit`` so a non-daemon thread left by the app cannot hang it.

Order matters, because generated code runs in this very process: the run's nonce is read
(and its file deleted) and the report path taken out of the environment *before* any
generated module is imported, and pytest and the plugin are imported before the sample's
folder goes on ``sys.path``, so a generated ``pytest.py`` or ``evals_runtime/`` shadows
nothing. (The harness starts Python with ``-P``: the working directory, which is the sample's
folder, is never put on ``sys.path`` implicitly.)
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

SKIP_DIRS = {"tests", "__pycache__", ".git", ".venv", "venv", "node_modules"}


def module_names(work: Path) -> list[str]:
    names = []
    for path in sorted(work.rglob("*.py")):
        rel = path.relative_to(work)
        if any(part in SKIP_DIRS or part.startswith(".") for part in rel.parts):
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and all(part.isidentifier() for part in parts):
            names.append(".".join(parts))
    return names


def take_nonce() -> str:
    """The run's nonce, read once; its file is deleted and its path leaves the environment."""
    path = os.environ.pop("EVALS_CANARY_FILE", "")
    if not path:
        return ""
    try:
        nonce = Path(path).read_text().strip()
        Path(path).unlink()
    except OSError:
        return ""
    return nonce


def check_imports(out: Path, entrypoint: str, work: Path, nonce: str = "") -> None:
    log = open(out / "imports.jsonl", "a", buffering=1, encoding="utf-8")  # noqa: SIM115

    def emit(record: dict) -> None:
        log.write(json.dumps({**record, "nonce": nonce} if nonce else record) + "\n")
        log.flush()

    module_name, _, attr = entrypoint.partition(":")
    for name in [module_name, *[m for m in module_names(work) if m != module_name]]:
        emit({"module": name, "status": "start"})
        try:
            importlib.import_module(name)
        except BaseException as exc:  # SystemExit, KeyboardInterrupt too
            tail = traceback.format_exception(type(exc), exc, exc.__traceback__)[-6:]
            emit({"module": name, "status": "error", "error": "".join(tail)[-3000:]})
        else:
            emit({"module": name, "status": "ok"})
    try:
        module = sys.modules.get(module_name) or importlib.import_module(module_name)
        app = getattr(module, attr)
        from fastapi import FastAPI

        ok = isinstance(app, FastAPI)
        detail = "" if ok else f"{entrypoint} is a {type(app).__name__}, not a FastAPI instance"
    except BaseException as exc:  # whatever the app raises
        ok, detail = False, f"{entrypoint}: {type(exc).__name__}: {exc}"[:1000]
    emit({"entrypoint": entrypoint, "status": "ok" if ok else "error", "error": detail})
    log.close()


def dump_openapi(out: Path, entrypoint: str) -> None:
    """Write the app's OpenAPI schema for the openapi grader (the harness never imports
    generated code itself). Done after the import check, with the environment in place."""
    module_name, _, attr = entrypoint.partition(":")
    try:
        app = getattr(sys.modules[module_name], attr)
        document = {"schema": app.openapi()}
    except BaseException as exc:  # whatever the app raises
        document = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
    try:
        text = json.dumps(document, default=str)
    except (TypeError, ValueError) as exc:
        text = json.dumps({"error": f"schema is not JSON: {exc}"[:2000]})
    (out / "openapi.json").write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    out, entrypoint, work = Path(argv[0]), argv[1], Path(argv[2])
    pytest_args = argv[argv.index("--") + 1 :]
    code = 70  # EX_SOFTWARE: the driver itself broke before pytest could answer
    phases: dict[str, float] = {}
    mark = time.monotonic()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.monotonic()
        phases[name] = round(now - mark, 4)
        mark = now

    try:
        nonce = take_nonce()
        report = os.environ.pop("EVALS_REPORT", "")
        import pytest

        from evals_runtime import plugin
        from evals_runtime.hashing import cheapen_password_hashing

        plugin.prime(nonce, report)
        # Before the app's first import: a hash it computes at import (a dummy hash for
        # constant-time logins, say) is made at test cost too.
        cheapen_password_hashing()
        sys.path.insert(0, str(work))
        lap("setup")
        check_imports(out, entrypoint, work, nonce)
        lap("imports")
        dump_openapi(out, entrypoint)
        lap("openapi")
        code = int(pytest.main(pytest_args))
        lap("pytest")
    except BaseException:  # the verdict comes from the report; leave a trace of why it ended
        with contextlib.suppress(BaseException):
            traceback.print_exc()
    finally:
        # Where the time went, for `make bench` (diagnostics only: generated code ran in this
        # process and could have changed them, so no verdict reads this file).
        with contextlib.suppress(BaseException):
            (out / "phases.json").write_text(json.dumps(phases))
        # A full stdout (EFBIG) or a broken stream must not keep the process from ending.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        os._exit(code)


if __name__ == "__main__":
    main(sys.argv[1:])
