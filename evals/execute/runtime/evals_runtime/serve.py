"""The app side of grading: import the generated app, check its modules, serve it.

    python -P -m evals_runtime.serve APP_OUT ENTRYPOINT WORK SOCKET

Runs in the sample's sandbox as the sample's uid; it is the only process that ever runs
generated code. The import check streams to ``APP_OUT/imports.jsonl`` (a "start" line before
each module, so a module that kills the process is still named); then the case's shim, if
any (``evals_case_shim.install(app)``: routes or dependencies the hidden suite observes over
HTTP), then uvicorn serves the app on the unix socket ``SOCKET`` until the harness stops it.

Nothing here decides a verdict: the hidden suite runs in another process, as another uid,
and reaches the app only through the socket (:mod:`evals_runtime.judge`). What this process
writes (its import records, its logs) is treated by the harness as the sample's own word.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import random
import sys
import traceback
from pathlib import Path
from typing import Any

from evals_runtime.protocol import (
    APP_RANDOM_SEED,
    COVERAGE_ENV,
    COVERAGE_FLUSH_PATH,
    COVERAGE_PREFIX,
    EXIT_IMPORT_FAILED,
    EXIT_SERVE_FAILED,
    IMPORTS_FILE,
    SHIM_MODULE,
)

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


def check_imports(out: Path, entrypoint: str, work: Path) -> Any:
    """Import every module of the workspace; the app object, or None when it is unusable."""
    log = open(out / IMPORTS_FILE, "a", buffering=1, encoding="utf-8")  # noqa: SIM115

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
    app = None
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
    return app if ok else None


def install_shim(app: Any) -> None:
    """The case's harness-owned additions, when the case has any (never the hidden tests)."""
    try:
        shim = importlib.import_module(SHIM_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != SHIM_MODULE:
            raise
        return
    shim.install(app)


def measure_coverage(out: Path, work: Path) -> Any:
    """Start measuring the workspace's code; returns ``dump(final=False)``, which writes what
    ran so far (``final``: and stops measuring).

    The harness kills the app (it never exits on its own), so what ran is written when the
    judge asks (:data:`COVERAGE_FLUSH_PATH`: before a restart, after the suite) rather than at
    exit: the arcs of the workspace's files, by relative path, for the harness to analyse
    against the source it holds.
    """
    import coverage

    # SQLAlchemy's asyncio layer runs the app's code in greenlets: without "greenlet" every
    # line after the first awaited query would count as never run.
    cov = coverage.Coverage(
        data_file=None,
        branch=True,
        include=[f"{work}/*"],
        config_file=False,
        concurrency=["thread", "greenlet"],
    )
    cov.start()
    # Not the pid alone: each fresh sandbox has its own pid namespace, so an app restarted by
    # the suite could get the same pid and overwrite the first start's record.
    target = out / f"{COVERAGE_PREFIX}{os.getpid()}-{os.urandom(4).hex()}.json"

    def dump(final: bool = False) -> None:
        if final:
            cov.stop()
        data = cov.get_data()
        arcs = {
            os.path.relpath(name, work): sorted(data.arcs(name) or ())
            for name in data.measured_files()
        }
        partial = target.with_suffix(".part")
        partial.write_text(json.dumps(arcs))
        partial.replace(target)

    return dump


def flushing(app: Any, dump: Any) -> Any:
    """``app`` as an ASGI callable that writes its coverage when the judge asks.

    :data:`COVERAGE_FLUSH_PATH` is answered here and never reaches the app; every other
    request goes through untouched."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("path") != COVERAGE_FLUSH_PATH:
            return await app(scope, receive, send)
        dump(final=b"final=1" in scope.get("query_string", b""))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    return wrapped


def serve(app: Any, socket_path: str) -> None:
    import uvicorn

    config = uvicorn.Config(
        app,
        uds=socket_path,
        lifespan="auto",
        log_level="warning",
        access_log=False,
        loop="asyncio",
        http="h11",
        ws="none",
        timeout_graceful_shutdown=1,
    )
    uvicorn.Server(config).run()


def main(argv: list[str]) -> int:
    out, entrypoint, work, socket_path = Path(argv[0]), argv[1], Path(argv[2]), argv[3]
    code = EXIT_SERVE_FAILED
    try:
        from evals_runtime.hashing import cheapen_password_hashing

        # Same sample, same random numbers: a re-grade reproduces the app's answers (the
        # judge's requests come in the same order every time).
        random.seed(APP_RANDOM_SEED)
        # Before the app's first import: a hash it computes at import (a dummy hash for
        # constant-time logins, say) is made at test cost too.
        cheapen_password_hashing()
        sys.path.insert(0, str(work))
        dump = measure_coverage(out, work) if os.environ.get(COVERAGE_ENV) else None
        app = check_imports(out, entrypoint, work)
        if app is None:
            code = EXIT_IMPORT_FAILED
        else:
            install_shim(app)
            if dump is not None:
                dump()
                app = flushing(app, dump)
            serve(app, socket_path)
            code = 0
    except BaseException:  # the judge sees a dead socket; leave a trace of why
        with contextlib.suppress(BaseException):
            traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        os._exit(code)


if __name__ == "__main__":
    main(sys.argv[1:])
