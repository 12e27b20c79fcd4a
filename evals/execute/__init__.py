"""The layer that runs untrusted code: sandboxes, grading jobs, fresh and warm executors.

Its public interface is small: a grader asks an executor (:class:`Executor` for fresh mode,
:class:`WarmExecutor` for warm mode) to ``execute`` one sample's grading context and gets an
:class:`Execution` back (raw observations, read as untrusted); the agent's Bash tool runs
commands through :class:`Sandbox`. What runs inside the sandboxes lives in
``runtime/evals_runtime`` and shares one stdlib-only module with the harness,
``runtime/evals_runtime/protocol.py``. Nothing outside this package reaches into its
private names, and of :mod:`graders` it reads only the registry's names (which grader a case's
generated requests need).

Modules: ``sandbox`` (isolation levels, uid leases, limits), ``seccomp`` (the filter every
sandbox runs under), ``job`` (a sample's folders, environments and command lines),
``record`` (what comes back), ``control`` (the judge's control socket), ``fresh`` and
``warm_pool``/``warm_worker`` (the two executors), ``unicode_tables`` (hypothesis's tables,
built once by the harness for the judges that fuzz).
"""

from __future__ import annotations

from evals.execute.fresh import Executor
from evals.execute.job import (
    CANARY_FAIL,
    CANARY_PASS,
    RUNTIME_DIR,
    declared_tests,
    expected_test_ids,
    fuzzes,
    requirements_by_test,
)
from evals.execute.record import Execution, ImportRecord
from evals.execute.sandbox import Limits, Mount, Sandbox, choose_level, stop_all
from evals.execute.warm_pool import WarmExecutor, WarmStats, unsupported_reason

__all__ = [
    "CANARY_FAIL",
    "CANARY_PASS",
    "RUNTIME_DIR",
    "Execution",
    "Executor",
    "ImportRecord",
    "Limits",
    "Mount",
    "Sandbox",
    "WarmExecutor",
    "WarmStats",
    "choose_level",
    "declared_tests",
    "expected_test_ids",
    "fuzzes",
    "requirements_by_test",
    "stop_all",
    "unsupported_reason",
]
