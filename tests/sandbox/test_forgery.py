"""Forged verdicts, through the real pipeline: generated code that rewrites the hidden suite's
result from inside the app's process, or launders its failure into an infra error, is scored
as a plain failure in both grader modes, while the reference of the same run passes.

Every hostile app below is functionally wrong (the ping answers "hostile", the suite wants
"ok"): only a working trick could make it pass. Each trick targets the harness as it was
before the app was served from its own process (commit 599811a: ``evals_runtime.driver``
imported the app into the process that ran ``pytest.main`` and wrote ``report.jsonl``), and
each was checked against that code: graded there through ``evals.runner.run`` (reference
provider, this very case, workers=2), in fresh and in warm mode alike,

    forged a full pass (tests grader and sample passed, "1/1 passed"): patches-report-
    construction, replaces-plugin-emitter, swaps-pytest-main, rewrites-report-at-exit,
    plants-rewritten-pyc, profiles-report-hook, adds-default-plugin, intercepts-test-import;
    turned its failure into an infra error: crashes-static-grader ("conformance: grader
    crashed: RecursionError", and ruff overflowed its stack: "ruff failed"), launders-openapi
    ("openapi: grader crashed: AttributeError": a malformed ``out/openapi.json``, written at
    exit only because a real test had failed).

Now the app side never holds the judge's modules, nonce, report or output folder, and the
static graders count a workspace or document they cannot walk against the sample. The last
test is a laundering found against the split harness itself (DEEP_JSON: JSON nested past
the stack of a recursive walk), now a plain failure too.
"""

from __future__ import annotations

import textwrap

import pytest

from evals.config import RunOptions
from evals.execute import sandbox as sb
from evals.execute.warm_pool import WarmExecutor, WarmStats
from evals.records import SampleResult
from evals.runner import run
from evals.store import RunStore

# Nothing here is timed (each trick fails or succeeds whatever the load, well inside the
# limit): these run in the parallel part of `make test`.

TIMEOUT_S = 30

BROKEN_APP = textwrap.dedent(
    """
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/api/v1/ping")
    def ping() -> dict[str, str]:
        return {"status": "hostile"}
    """
)

# Shared by the tricks: which hidden tests to let through (never the harness's canaries, so
# the canary checks hold), and the test modules' folder as the old harness laid it out.
PRELUDE = textwrap.dedent(
    '''
    import ast as _ast
    import glob as _glob
    import os as _os


    def _forge_this(name):
        """Every test but the harness's canaries (one of which must fail) is forged."""
        return not str(name).rpartition("::")[2].startswith("test_evals_canary")


    def _hidden_tests():
        """The hidden test modules, wherever PYTHONPATH (the hidden folder) puts them."""
        found = []
        for root in _os.environ.get("PYTHONPATH", "").split(_os.pathsep):
            for path in sorted(_glob.glob(_os.path.join(root, "tests", "test_*.py"))):
                if "canary" not in _os.path.basename(path):
                    found.append(path)
        return found


    def _gutted(path):
        """A test module's code with every test's body replaced by ``pass``."""
        with open(path, "rb") as handle:
            tree = _ast.parse(handle.read(), filename=path)
        for node in _ast.walk(tree):
            if isinstance(node, _ast.FunctionDef) and node.name.startswith("test"):
                node.body = [_ast.copy_location(_ast.Pass(), node.body[0])]
        return compile(tree, path, "exec", dont_inherit=True)
    '''
)

# name -> (the hostile part of app/main.py, extra workspace files). BROKEN_APP follows the
# hostile part unless it defines the app itself.
HOSTILE: dict[str, tuple[str, dict[str, str]]] = {
    # (1) pytest's report construction, rewritten before any report exists.
    "patches-report-construction": (
        textwrap.dedent(
            """
            from _pytest.reports import TestReport

            _from_item_and_call = TestReport.from_item_and_call.__func__


            def _passing(cls, item, call):
                report = _from_item_and_call(cls, item, call)
                if _forge_this(item.nodeid):
                    report.outcome, report.longrepr = "passed", None
                return report


            TestReport.from_item_and_call = classmethod(_passing)
            """
        ),
        {},
    ),
    # (2) The runtime plugin's event emitter, replaced: every record passes through it.
    "replaces-plugin-emitter": (
        textwrap.dedent(
            """
            try:
                from evals_runtime import plugin as _plugin

                _real_emit = _plugin._emit

                def _emit(record):
                    if record.get("event") == "test" and _forge_this(record.get("id")):
                        record = {**record, "outcome": "passed", "message": ""}
                    _real_emit(record)

                _plugin._emit = _emit
            except Exception:
                pass
            """
        ),
        {},
    ),
    # (3) The nonce and report path from the plugin's globals, and pytest.main swapped for a
    # "run" that writes a complete, consistent, forged report.
    "swaps-pytest-main": (
        textwrap.dedent(
            """
            import hashlib
            import json

            import pytest

            try:
                from evals_runtime import plugin as _plugin
            except Exception:
                _plugin = None


            def _forged_main(args=None, plugins=None):
                nonce, report = getattr(_plugin, "_PRIMED", None) or ("", "")
                ids = ["test_evals_canary_pass", "test_evals_canary_fail"]
                for path in _hidden_tests():
                    tree = _ast.parse(open(path).read())
                    ids += [node.name for node in tree.body
                            if isinstance(node, _ast.FunctionDef) and node.name.startswith("test")]
                tag = hashlib.sha256(f"canary:{nonce}".encode()).hexdigest()[:16]
                events = [{"event": "start", "nonce": nonce},
                          {"event": "collected", "ids": ids, "rules": {}}]
                for test_id in ids:
                    fails = test_id == "test_evals_canary_fail"
                    events.append({"event": "test", "id": test_id, "when": "call",
                                   "outcome": "failed" if fails else "passed",
                                   "message": f"evals canary {tag}" if fails else "",
                                   "duration": 0.01, "rules": [], "nonce": nonce})
                events.append({"event": "end", "exitstatus": 1, "nonce": nonce})
                if report:
                    with open(report, "a") as handle:
                        handle.write("".join(json.dumps(e) + "\\n" for e in events))
                return 1


            pytest.main = _forged_main
            """
        ),
        {},
    ),
    # (4) os._exit wrapped: once the real suite has written its report, rewrite it.
    "rewrites-report-at-exit": (
        textwrap.dedent(
            """
            import json

            try:
                from evals_runtime import plugin as _plugin
            except Exception:
                _plugin = None
            _real_exit = _os._exit


            def _exit(code):
                try:
                    report = (getattr(_plugin, "_PRIMED", None) or ("", ""))[1]
                    with open(report) as handle:
                        records = [json.loads(line) for line in handle if line.strip()]
                    for record in records:
                        if record.get("event") == "test" and _forge_this(record.get("id")):
                            record.update(outcome="passed", message="", when="call")
                    with open(report, "w") as handle:
                        handle.write("".join(json.dumps(r) + "\\n" for r in records))
                except Exception:
                    pass
                _real_exit(code)


            _os._exit = _exit
            """
        ),
        {},
    ),
    # (5) sys.pycache_prefix pointed at planted "rewritten" bytecode of the hidden tests:
    # pytest's rewriter trusts a cached pyc whose header carries the source's hash.
    "plants-rewritten-pyc": (
        textwrap.dedent(
            """
            import importlib.util
            import marshal
            import sys
            import tempfile
            from pathlib import Path

            try:
                from _pytest.assertion.rewrite import PYC_TAIL

                _prefix = tempfile.mkdtemp(prefix="pyc-")
                for _test in _hidden_tests():
                    _path = Path(_test)
                    _cache = Path(_prefix, *_path.parts[1:-1])
                    _cache.mkdir(parents=True, exist_ok=True)
                    _hash = importlib.util.source_hash(_path.read_bytes())
                    (_cache / (_path.name[:-3] + PYC_TAIL)).write_bytes(
                        importlib.util.MAGIC_NUMBER + b"\\x03\\x00\\x00\\x00" + _hash[:8]
                        + marshal.dumps(_gutted(_test))
                    )
                sys.pycache_prefix = _prefix
            except Exception:
                pass
            """
        ),
        {},
    ),
    # (6) A profile hook: the report object each logreport hook receives, edited through the
    # frame's locals before the hook reads it.
    "profiles-report-hook": (
        textwrap.dedent(
            """
            import sys


            def _profile(frame, event, arg):
                if event == "call" and frame.f_code.co_name == "pytest_runtest_logreport":
                    report = frame.f_locals.get("report")
                    if report is not None and _forge_this(getattr(report, "nodeid", "")):
                        report.outcome, report.longrepr = "passed", None


            sys.setprofile(_profile)
            """
        ),
        {},
    ),
    # (7) A module of the app's added to pytest's default plugins: its hook rewrites reports.
    "adds-default-plugin": (
        textwrap.dedent(
            """
            try:
                import _pytest.config as _config

                _config.default_plugins = (*_config.default_plugins, "app.hooks")
            except Exception:
                pass
            """
        ),
        {
            "app/hooks.py": textwrap.dedent(
                """
                import pytest


                @pytest.hookimpl(hookwrapper=True)
                def pytest_runtest_makereport(item, call):
                    outcome = yield
                    report = outcome.get_result()
                    if not item.name.startswith("test_evals_canary"):
                        report.outcome, report.longrepr = "passed", None
                """
            )
        },
    ),
    # (8) A sys.meta_path finder that stays ahead of pytest's assertion rewriter (which puts
    # itself first) and loads the hidden test modules gutted.
    "intercepts-test-import": (
        textwrap.dedent(
            """
            import importlib.abc
            import importlib.machinery
            import importlib.util
            import sys


            class _Forger(importlib.abc.MetaPathFinder, importlib.abc.Loader):
                def find_spec(self, fullname, path=None, target=None):
                    leaf = fullname.rpartition(".")[2]
                    if not leaf.startswith("test_") or "canary" in leaf:
                        return None
                    spec = importlib.machinery.PathFinder.find_spec(fullname, path)
                    hidden = {_os.path.realpath(p) for p in _hidden_tests()}
                    if spec is None or _os.path.realpath(spec.origin or "") not in hidden:
                        return None
                    return importlib.util.spec_from_file_location(
                        fullname, spec.origin, loader=self
                    )

                def create_module(self, spec):
                    return None

                def exec_module(self, module):
                    exec(_gutted(module.__spec__.origin), module.__dict__)


            _FORGER = _Forger()


            class _StaysFirst(list):
                def insert(self, index, value):
                    if index == 0 and self and self[0] is _FORGER:
                        index = 1
                    super().insert(index, value)


            sys.meta_path = _StaysFirst([_FORGER, *sys.meta_path])
            """
        ),
        {},
    ),
    # (9) Infra laundering: a workspace file the host-side conformance grader cannot parse
    # (an expression 5000 levels deep: RecursionError), so the sample would be an infra error
    # (left out of every pass rate) rather than a failure.
    "crashes-static-grader": (
        "",
        {"app/lookup_table.py": "TABLE = 1" + " + 1" * 5000 + "\n"},
    ),
    # (10) Infra laundering: a malformed OpenAPI document, written at exit only when a real
    # test failed (a passing sample keeps its pass, a failing one becomes an infra error).
    # Served at /openapi.json too, which is where the document now comes from.
    "launders-openapi": (
        textwrap.dedent(
            """
            import json
            from pathlib import Path

            from fastapi import FastAPI

            try:
                from evals_runtime import plugin as _plugin
            except Exception:
                _plugin = None
            _real_exit = _os._exit
            MALFORMED = {"openapi": "3.1.0", "paths": ["forged"]}


            def _exit(code):
                try:
                    report = Path((getattr(_plugin, "_PRIMED", None) or ("", ""))[1])
                    records = [json.loads(line) for line in report.read_text().splitlines()]
                    if any(r.get("event") == "test" and r.get("outcome") != "passed"
                           and _forge_this(r.get("id")) for r in records):
                        (report.parent / "openapi.json").write_text(
                            json.dumps({"schema": MALFORMED})
                        )
                except Exception:
                    pass
                _real_exit(code)


            _os._exit = _exit

            app = FastAPI(openapi_url=None)


            @app.get("/openapi.json", include_in_schema=False)
            def malformed_openapi():
                return MALFORMED


            @app.get("/api/v1/ping")
            def ping() -> dict[str, str]:
                return {"status": "hostile"}
            """
        ),
        {},
    ),
}


# Found while writing the samples above, against the split harness: a JSON value nested a
# few hundred levels deep, from the app's side, that json.loads accepts but the harness's
# recursive scrubbing of what comes back (evals.execute.record.read_streams -> _scrubber) does
# not. Each makes execute() raise RecursionError, so every grader that reads the execution
# "crashes" and the failing sample becomes an infra error (graded three times over, as the
# context does not keep a failed execution; in warm mode each time replaces a worker pair).
# Both were plain failures on the old harness: it dropped import records without the nonce
# and took the OpenAPI document from app.openapi(), not from what the app serves.
DEEP = 600
DEEP_JSON: dict[str, tuple[str, dict[str, str]]] = {
    # Served as the app's OpenAPI document, which the judge saves as it came.
    "deep-openapi": (
        textwrap.dedent(
            f"""
            from fastapi import FastAPI
            from fastapi.responses import Response

            app = FastAPI(openapi_url=None)
            DEEP = '{{"paths": ' + '{{"a": ' * {DEEP} + "1" + "}}" * {DEEP} + "}}"


            @app.get("/openapi.json", include_in_schema=False)
            def deep_openapi():
                return Response(DEEP, media_type="application/json")


            @app.get("/api/v1/ping")
            def ping() -> dict[str, str]:
                return {{"status": "hostile"}}
            """
        ),
        {},
    ),
    # Appended to the app side's own import records (its out/ folder is its to write).
    "deep-import-record": (
        textwrap.dedent(
            f"""
            import sys

            try:
                with open(_os.path.join(sys.argv[1], "imports.jsonl"), "a") as handle:
                    deep = '{{"a": ' * {DEEP} + "1" + "}}" * {DEEP}
                    handle.write('{{"module": "app.x", "status": "ok", "error": ' + deep + "}}\\n")
            except Exception:
                pass
            """
        ),
        {},
    ),
}


def forgery_case(
    hostile: dict[str, tuple[str, dict[str, str]]],
) -> tuple[str, dict[str, str | None]]:
    """The case's toml and files (over ``make_case``'s defaults): one mutant per trick."""
    toml = textwrap.dedent(
        f"""
        id = "forgery"
        title = "Ping, answered by code that forges its verdict"
        kind = "create"
        difficulty = "easy"
        tags = ["api-design"]
        entrypoint = "app.main:app"

        [limits]
        timeout_s = {TIMEOUT_S}
        """
    )
    files: dict[str, str | None] = {"mutants/broken/app/main.py": None}
    for name, (code, extra) in hostile.items():
        toml += f'\n[mutants.{name}]\nmust_fail = ["test_ping_answers_ok"]\n'
        body = code if "app = FastAPI(" in code else code + BROKEN_APP
        files[f"mutants/{name}/app/main.py"] = PRELUDE + body
        for rel, text in extra.items():
            files[f"mutants/{name}/{rel}"] = text
    return toml, files


def graded(
    make_case, tmp_path, monkeypatch, hostile, grader_mode: str
) -> tuple[dict[str, SampleResult], WarmStats | None]:
    """Grade the reference and every hostile sample in one run: the hostile rows by variant,
    and in warm mode what the warm pool did."""
    level = sb.choose_level("auto")
    if level != "bwrap":
        pytest.skip(f"the forgery suite needs bubblewrap (here: {level}); CI installs it")
    pools: list[WarmExecutor] = []
    make_pool = WarmExecutor.__init__

    def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        make_pool(self, *args, **kwargs)
        pools.append(self)

    monkeypatch.setattr(WarmExecutor, "__init__", spy)
    toml, files = forgery_case(hostile)
    folder = make_case("forgery", toml=toml, files=files)
    run_dir = run(
        RunOptions(
            cases_dir=folder.parent,
            provider="reference",
            out=tmp_path / "reports",
            quiet=True,
            workers=2,
            grader_mode=grader_mode,
        )
    )
    rows = {r.variant: r for r in RunStore.open(run_dir).results()}
    assert set(rows) == {"reference"} | {f"mutant-{name}" for name in hostile}
    reference = rows.pop("reference")
    assert reference.passed and reference.infra_error is None, reference.grades["tests"]
    assert len(pools) == (grader_mode == "warm")
    assert all(pool.unsupported is None for pool in pools), pools[0].unsupported
    return rows, (pools[0].stats if pools else None)


def assert_all_warm(stats: WarmStats | None, samples: int) -> None:
    """Every sample went through a warm child (none fell back to fresh mode)."""
    if stats is not None:
        assert stats.jobs == samples and not stats.fallbacks, stats


def assert_plain_failure(name: str, row: SampleResult) -> None:
    tests = row.grades["tests"]
    assert row.infra_error is None, f"{name}: {row.infra_error}"
    assert all(g.infra_error is None for g in row.grades.values()), name
    why = f"{name}: {tests.details} {[(t.outcome, t.message[:300]) for t in tests.tests]}"
    assert not row.passed and not tests.passed and tests.score == 0.0, why
    # The app was served and answered, wrongly: the judge saw "hostile", not a crash.
    [ping] = tests.tests
    assert ping.outcome == "failed" and "hostile" in ping.message, why


@pytest.mark.parametrize("grader_mode", ["fresh", "warm"])
def test_no_hostile_app_forges_a_pass_or_an_infra_error(
    make_case, tmp_path, monkeypatch, grader_mode
):
    rows, warm = graded(make_case, tmp_path, monkeypatch, HOSTILE, grader_mode)
    for variant, row in sorted(rows.items()):
        assert_plain_failure(variant.removeprefix("mutant-"), row)
    assert_all_warm(warm, len(rows) + 1)

    # What the launderings left is held against the sample, by the grader it was aimed at.
    conformance = rows["mutant-crashes-static-grader"].grades["conformance"]
    assert not conformance.passed
    assert any(f.code == "CONF000" for f in conformance.findings), conformance.findings
    openapi = rows["mutant-launders-openapi"].grades["openapi"]
    assert not openapi.passed
    assert any("malformed" in f.message for f in openapi.findings), openapi.findings


def test_deeply_nested_json_from_the_app_is_not_an_infra_error(make_case, tmp_path, monkeypatch):
    rows, warm = graded(make_case, tmp_path, monkeypatch, DEEP_JSON, "warm")
    for variant, row in sorted(rows.items()):
        assert_plain_failure(variant.removeprefix("mutant-"), row)
    assert_all_warm(warm, len(rows) + 1)
