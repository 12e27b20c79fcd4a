"""One sandboxed grading process: the import check, then the hidden suite, in process.

    python -m evals_runtime.driver OUT_DIR ENTRYPOINT WORK_DIR -- PYTEST_ARGS...

Import results stream to ``OUT_DIR/imports.jsonl`` (a "start" line before each module, so a
module that kills the process is still named); test results stream through the plugin. The
process ends with ``os._exit`` so a non-daemon thread left by the app cannot hang it.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
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


def check_imports(out: Path, entrypoint: str, work: Path) -> None:
    log = open(out / "imports.jsonl", "a", buffering=1, encoding="utf-8")  # noqa: SIM115

    def emit(record: dict) -> None:
        log.write(json.dumps(record) + "\n")
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
    sys.path.insert(0, str(work))
    check_imports(out, entrypoint, work)
    dump_openapi(out, entrypoint)
    import pytest

    code = int(pytest.main(pytest_args))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main(sys.argv[1:])
