"""The contract between the harness and what it runs in the sandboxes: names and messages.

Standard library only, and imported by both sides: by the harness as
``evals.execute.runtime.evals_runtime.protocol``, inside a sandbox as
``evals_runtime.protocol`` (the same file, copied with the runtime). Whatever one side
writes and the other reads is named here once: environment variables, file names in a
sample's folders, the control socket's requests and replies, the app side's exit codes.
"""

from __future__ import annotations

# --- environment of the judge (the app side gets DATABASE_URL and the case's [env] only) -----

SOCKET_ENV = "EVALS_SOCKET"
"""The unix socket the app is served on."""
CONTROL_ENV = "EVALS_CONTROL"
"""The harness's control socket (:data:`RESTART`, :data:`SNAPSHOT`)."""
APP_EXIT_ENV = "EVALS_APP_EXIT"
"""A file the harness writes when the app's process ends on its own (why, in words)."""
SOURCE_ENV = "EVALS_SOURCE"
"""The agent's source, a read-only copy, for static checks."""
READY_TIMEOUT_ENV = "EVALS_READY_TIMEOUT"
"""Seconds the judge waits for the app to accept connections."""
REPORT_ENV = "EVALS_REPORT"
"""Where the plugin streams outcomes (taken out of the environment before tests run)."""
CANARY_FILE_ENV = "EVALS_CANARY_FILE"
"""A file holding the run's nonce (read and deleted before tests run)."""
DB_PATH_ENV = "EVALS_DB_PATH"
"""The app's database, by the path the app uses (the judge reads copies of it)."""
ENTRYPOINT_ENV = "EVALS_ENTRYPOINT"
FUZZ_ENV = "EVALS_FUZZ"
"""Judge side, when the case selects the ``api_fuzz`` grader: ``<budget>:<limit>``, the seconds
the generated-request phase (:mod:`evals_runtime.fuzz`) may take after the hidden suite, and
the sample's whole time limit (the phase never eats into the margin the suite's verdict
needs to be written before it)."""
COVERAGE_ENV = "EVALS_COVERAGE"
"""Set by ``evals validate`` on known solutions only. App side: measure line and branch
coverage of the workspace, write :data:`COVERAGE_PREFIX` files once imported and whenever
:data:`COVERAGE_FLUSH_PATH` is asked. Judge side: ask it before each restart of the app and
once the hidden suite is over (which also ends the measure: the generated requests of
``api_fuzz`` that follow are not the suite's coverage)."""
COVERAGE_FLUSH_PATH = "/__evals__/coverage"
"""Answered by the harness's wrapper around a measured app (never by the app): write what ran
so far; with ``?final=1``, and stop measuring."""

# --- the judge's command line --------------------------------------------------------------

ONLY_FLAG = "--evals-only"
"""A pytest flag of the harness plugin, repeatable: run only the hidden test of this exact
collected id (the canaries always run; an empty id names none). Absent: the whole suite.
``evals validate`` runs a mutant's declared tests only
(:func:`evals.execute.job.declared_tests`)."""

# --- file names -----------------------------------------------------------------------------

IMPORTS_FILE = "imports.jsonl"
"""The app side's import records: its own word, never a verdict."""
COVERAGE_PREFIX = "coverage-"
"""``coverage-<pid>-<random>.json`` in the app's out folder: ``{relative path: [[from, to], ...]}``,
the arcs one app process executed (one file per start: a restart adds one)."""
REPORT_FILE = "report.jsonl"
OPENAPI_FILE = "openapi.json"
FUZZ_FILE = "fuzz.json"
"""The judge's generated-request findings (:mod:`evals_runtime.fuzz`)."""
PHASES_FILE = "phases.json"
CANARY_FILE = "canary"
APP_SOCKET = "app.sock"
CONTROL_SOCKET = "control.sock"
APP_EXIT_FILE = "app-exit"
DB_FILE = "app.db"
APP_RANDOM_SEED = 0
"""The app's ``random`` is seeded with it before the app is imported."""
SHIM_MODULE = "evals_case_shim"
"""The case's shim, loaded into the app's process before it is served (``install(app)``)."""

# --- the control socket: one request line, one reply line ------------------------------------

RESTART = "restart"
"""Stop the app and start it again on the same data; the reply is :data:`READY` or why not."""
SNAPSHOT = "snapshot"
"""Copy the app's data folder for the judge; the reply is ``snapshot PATH`` or why not."""
READY = "ready"

# --- how the app side ends ------------------------------------------------------------------

EXIT_IMPORT_FAILED = 3
"""The entry point did not import as a FastAPI app."""
EXIT_SERVE_FAILED = 4
"""The app imported but could not be served (lifespan failure, socket error...)."""
