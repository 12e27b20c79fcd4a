"""One sandboxed execution: the app served in one process, the judge in another; what the
judge can reach of the app (HTTP, a restart, copies of its data, its source as text) and
what comes back besides the verdict (where the time went)."""

from __future__ import annotations

import textwrap

import pytest

from evals.cases import REFERENCE, Variant, load_case
from evals.config import DEFAULT_CASES
from evals.execute import Executor
from evals.execute import sandbox as sb
from evals.workspace import Workspace
from graders.base import GradeContext
from tests.conftest import executors


def execute(case, variant, tmp_path, executor):
    workspace = tmp_path / f"workspace-{variant.label}"
    Workspace.create(workspace, case.workspace)
    Workspace.create(workspace, case.solution_overlay(variant))
    ctx = GradeContext(
        case=case, variant=variant, workspace=workspace,
        grade_dir=tmp_path / f"grade-{variant.label}", executor=executor,
    )  # fmt: skip
    return executor.execute(ctx)


def test_an_execution_reports_the_time_of_each_judge_phase(tmp_path):
    case = load_case(DEFAULT_CASES / "user-registration")
    execution = execute(case, REFERENCE, tmp_path, Executor(sb.Sandbox(sb.choose_level("auto"))))
    assert execution.infra_error is None
    assert list(execution.phases) == ["setup", "app-start", "openapi", "pytest"]
    assert all(seconds >= 0 for seconds in execution.phases.values())


NOTES_APP = textwrap.dedent(
    """
    import os
    import sqlite3

    from fastapi import FastAPI

    DB = os.environ["DATABASE_URL"].split(":///", 1)[1]
    app = FastAPI()
    STARTS = sqlite3.connect(DB)
    STARTS.execute("CREATE TABLE IF NOT EXISTS starts (pid INTEGER)")
    STARTS.execute("INSERT INTO starts VALUES (?)", (os.getpid(),))
    STARTS.commit()


    @app.post("/api/v1/notes/{text}", status_code=201)
    def add(text: str) -> dict[str, str]:
        with sqlite3.connect(DB) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS notes (text TEXT)")
            conn.execute("INSERT INTO notes VALUES (?)", (text,))
        os.makedirs(os.path.join(os.path.dirname(DB), "files"), exist_ok=True)
        with open(os.path.join(os.path.dirname(DB), "files", text), "w") as handle:
            handle.write(text.upper())
        return {"text": text}


    @app.get("/api/v1/notes")
    def notes() -> list[str]:
        with sqlite3.connect(DB) as conn:
            return [row[0] for row in conn.execute("SELECT text FROM notes")]
    """
)
NOTES_TESTS = textwrap.dedent(
    """
    import pytest


    @pytest.mark.rule("database")
    def test_what_the_app_stores_survives_a_restart(client, db, restart_app, data_snapshot):
        assert client.post("/api/v1/notes/first").status_code == 201
        assert [r[0] for r in db.execute("SELECT text FROM notes")] == ["first"]
        restart_app()
        assert client.get("/api/v1/notes").json() == ["first"]
        assert client.post("/api/v1/notes/second").status_code == 201
        # Each read of db sees the data as it is now; two processes started.
        assert len(db.execute("SELECT pid FROM starts").fetchall()) == 2
        assert [r[0] for r in db.execute("SELECT text FROM notes")] == ["first", "second"]
        copy = data_snapshot()
        assert (copy / "files" / "second").read_text() == "SECOND"


    @pytest.mark.rule("structure")
    def test_the_source_is_read_never_imported(source):
        tree = source.tree("app.main")
        assert tree is not None
        assert any(getattr(n, "name", "") == "notes" for n in tree.body)
        assert source.path_of("app.main") == "app/main.py"


    @pytest.mark.rule("docs")
    def test_the_served_document_is_the_apps(openapi):
        assert "/api/v1/notes" in openapi["paths"]
    """
)


@pytest.fixture
def notes_case(make_case):
    return load_case(
        make_case(
            "notes",
            files={
                "tests/test_ping.py": None,
                "tests/test_notes.py": NOTES_TESTS,
                "reference/app/main.py": NOTES_APP,
                "mutants/broken/app/main.py": NOTES_APP.replace('"first"', '"x"'),
            },
            toml=textwrap.dedent(
                """
                id = "notes"
                title = "Notes"
                kind = "create"
                difficulty = "easy"
                tags = ["database"]
                entrypoint = "app.main:app"

                [mutants.broken]
                description = "unused"
                must_fail = ["test_the_served_document_is_the_apps"]
                """
            ),
        )
    )


@pytest.mark.parametrize("make_executor", list(executors()))
def test_the_judge_restarts_the_app_and_reads_its_data_and_source(
    notes_case, tmp_path, make_executor
):
    executor = make_executor()
    try:
        execution = execute(notes_case, Variant("reference"), tmp_path, executor)
    finally:
        executor.close()
    assert execution.infra_error is None
    outcomes = {e["id"]: e for e in execution.tests_reported() if e.get("when") == "call"}
    failures = {k: v["message"] for k, v in outcomes.items() if v["outcome"] != "passed"}
    assert failures == {"test_evals_canary_fail": failures.get("test_evals_canary_fail")}, failures
    assert len(outcomes) == 5, (execution.imports, execution.stderr[-3000:])
