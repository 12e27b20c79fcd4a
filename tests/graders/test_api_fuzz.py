"""The api_fuzz grader: requests generated from the app's own OpenAPI document, sent by the
judge over the app's socket; a server error or an answer that contradicts the document is a
finding, the same document gives the same findings."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

import pytest

from evals.cases import REFERENCE, load_case
from evals.execute import RUNTIME_DIR, Executor
from evals.execute import sandbox as sb
from evals.grade import grade_workspace

APP = textwrap.dedent(
    """
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    app = FastAPI()


    @app.get("/api/v1/ping")
    def ping() -> dict[str, str]:
        return {"status": "ok"}


    @app.get("/api/v1/ratio")
    def ratio(n: int) -> dict[str, int]:
        return {"q": 100 // n}  # n = 0: ZeroDivisionError, a 500


    @app.get(
        "/api/v1/count",
        response_model=None,
        responses={200: {"content": {"application/json": {"schema": {"type": "integer"}}}}},
    )
    def count() -> JSONResponse:
        return JSONResponse("seven")  # documented as an integer
    """
)

TESTS = textwrap.dedent(
    """
    import pytest


    @pytest.mark.rule("api-design")
    def test_ping(client):
        assert client.get("/api/v1/ping").json() == {"status": "ok"}
    """
)

TOML = textwrap.dedent(
    """
    id = "fuzzed"
    title = "Fuzzed"
    kind = "create"
    difficulty = "easy"
    tags = ["api-design"]
    entrypoint = "app.main:app"

    [graders]
    tests = { weight = 0.9, required = true }
    api_fuzz = { weight = 0.1 }
    """
)


def make(root: Path, app: str) -> Path:
    files = {
        "case.toml": TOML,
        "prompt.md": "Ping, ratio, count.\n",
        "tests/test_ping.py": TESTS,
        "reference/app/__init__.py": "",
        "reference/app/main.py": app,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.fixture(scope="module")
def executor():
    ex = Executor(sb.Sandbox(sb.choose_level("auto")))
    yield ex
    ex.close()


def grade(tmp_path: Path, app: str, executor):
    case = load_case(make(tmp_path / "fuzzed", app))
    workspace = tmp_path / "workspace"
    for rel, content in case.reference.items():
        (workspace / rel).parent.mkdir(parents=True, exist_ok=True)
        (workspace / rel).write_bytes(content)
    grades, _ = grade_workspace(case, REFERENCE, workspace, tmp_path / "grade", executor)
    return grades


def test_server_errors_and_answers_against_the_document_are_findings(tmp_path, executor):
    grades = grade(tmp_path, APP, executor)
    assert grades["tests"].passed  # the suite's verdict is untouched by what came after it
    fuzz = grades["api_fuzz"]
    errors = {(f.code, f.path) for f in fuzz.findings if f.severity == "error"}
    assert errors == {
        ("server-error", "GET /api/v1/ratio"),
        ("schema-mismatch", "GET /api/v1/count"),
    }
    assert not fuzz.passed and fuzz.score == pytest.approx(0.6)
    assert "3 operation(s)" in fuzz.details


def test_an_app_that_keeps_its_documents_promises_passes(tmp_path, executor):
    honest = APP.replace("100 // n", "100 // n if n else 0").replace(
        'JSONResponse("seven")', "JSONResponse(7)"
    )
    fuzz = grade(tmp_path, honest, executor)["api_fuzz"]
    assert fuzz.passed and fuzz.score == 1.0
    assert [f for f in fuzz.findings if f.severity == "error"] == []


def test_an_operation_schemathesis_cannot_read_is_a_finding_that_says_why():
    spec = importlib.util.spec_from_file_location("fuzz_under_test", RUNTIME_DIR / "fuzz.py")
    assert spec is not None and spec.loader is not None
    fuzz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz)
    unreadable = {"$ref": "#/components/parameters/missing"}
    schema = {
        "openapi": "3.0.2",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {"get": {"parameters": [unreadable], "responses": {"200": {"description": ""}}}}
        },
    }
    result = fuzz.run(schema, client=None, budget_s=30.0)
    assert result["operations"] == 0
    [finding] = result["findings"]
    assert finding["kind"] == "invalid-schema"
    # schemathesis's own error, not an error of reading its result
    assert finding["message"].startswith("InvalidSchema: Unresolvable reference")
