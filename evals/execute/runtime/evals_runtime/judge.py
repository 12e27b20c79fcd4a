"""The judge: the hidden suite, in a process that never imports generated code.

    python -P -m evals_runtime.judge OUT -- PYTEST_ARGS...

Runs in a sandbox of its own, as a uid other than the app's, with the hidden tests read-only
and ``OUT`` writable by it alone. It reaches the app only through the unix socket the app
side serves on (``EVALS_SOCKET``); the app's data reaches it as copies the harness makes and
its source as a read-only copy, read as data (:mod:`evals_runtime.plugin`). So only this
process writes outcomes and the end record, and nothing the sample runs can reach its
memory, its files or its report.

Before the suite it waits for the app to answer (or to die: the harness writes
``EVALS_APP_EXIT`` when the app's process ends) and saves the app's ``/openapi.json`` for the
openapi grader as ``OUT/openapi.json``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from evals_runtime.protocol import FUZZ_ENV, FUZZ_FILE, OPENAPI_FILE, PHASES_FILE

if TYPE_CHECKING:
    from evals_runtime.app_link import AppLink


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    pytest_args = argv[argv.index("--") + 1 :]
    code = 70  # EX_SOFTWARE: the judge itself broke before pytest could answer
    phases: dict[str, float] = {}
    started = mark = time.monotonic()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.monotonic()
        phases[name] = round(now - mark, 4)
        mark = now

    try:
        from evals_runtime import app_link, plugin, protocol

        nonce = plugin.take_nonce()
        report = os.environ.pop(protocol.REPORT_ENV, "")
        import pytest

        plugin.prime(nonce, report)
        lap("setup")
        link = app_link.from_environment()
        problem = link.wait_until_ready()
        lap("app-start")
        save_openapi(out, link, problem)
        lap("openapi")
        code = int(pytest.main(pytest_args))
        lap("pytest")
        if link.coverage:
            link.flush_coverage(final=True)
        if os.environ.get(FUZZ_ENV):
            budget, _, limit = os.environ[FUZZ_ENV].partition(":")
            # Whatever the suite left of the sample's limit, less a margin for the answers in
            # flight (3 s each at most) and for the harness to collect the verdict.
            left = float(limit or 0) - (time.monotonic() - started) - FUZZ_MARGIN_S
            generated_requests(out, link, min(float(budget), left))
            lap("fuzz")
    except BaseException:  # the verdict comes from the report; leave a trace of why it ended
        with contextlib.suppress(BaseException):
            traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            (out / PHASES_FILE).write_text(json.dumps(phases))
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        os._exit(code)


def save_openapi(out: Path, link: AppLink, problem: str | None) -> None:
    """The document the app serves, as the openapi grader reads it ({"schema"} or {"error"})."""
    if problem is not None:
        document: dict = {"error": problem}
    else:
        try:
            with link.client() as client:
                response = client.get("/openapi.json", timeout=30)
            schema = response.json() if response.status_code == 200 else None
            document = (
                {"schema": schema}
                if isinstance(schema, dict)
                else {"error": f"GET /openapi.json answered {response.status_code}"}
            )
        except Exception as exc:  # whatever the app answers, or does not
            document = {"error": f"GET /openapi.json failed: {type(exc).__name__}: {exc}"[:2000]}
    try:
        text = json.dumps(document)
    except (TypeError, ValueError) as exc:
        text = json.dumps({"error": f"schema is not JSON: {exc}"[:2000]})
    (out / OPENAPI_FILE).write_text(text, encoding="utf-8")


FUZZ_MARGIN_S = 8.0


def generated_requests(out: Path, link: AppLink, budget_s: float) -> None:
    """After the suite: requests generated from the app's document (never changes the exit
    code: the suite's verdict is already reported)."""
    result: dict
    try:
        document = json.loads((out / OPENAPI_FILE).read_text(encoding="utf-8"))
        schema = document.get("schema")
        if budget_s < 1.0:
            result = {"error": "no time left for generated requests after the hidden suite"}
        elif not isinstance(schema, dict):
            result = {"error": document.get("error") or "no OpenAPI document"}
        else:
            from evals_runtime import fuzz

            with link.client() as client:
                result = fuzz.run(schema, client, budget_s)
    except BaseException as exc:  # what the app served broke the generator: a finding
        result = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
    with contextlib.suppress(BaseException):
        (out / FUZZ_FILE).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
