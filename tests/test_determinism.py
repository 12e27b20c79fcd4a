"""The same sample graded twice gets the same grades, durations aside.

Each grading has its own scratch folder, database, temp dir and nonce; what comes back must
not depend on them. The sample below is made to leak every such difference into its messages
(the file path in a traceback, an object's address, a random number, a generated e-mail
address), and its tests fail so that those messages are kept.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from evals.cases import Variant, load_case
from evals.execute import Executor
from evals.execute import sandbox as sb
from evals.grade import grade_workspace

TESTS = textwrap.dedent(
    """
    import pytest


    @pytest.mark.rule("api-design")
    def test_ping_answers_ok(client):
        assert client.get("/api/v1/ping").json() == {"status": "ok"}


    @pytest.mark.rule("api-design")
    def test_echo_returns_what_was_sent(client, unique_email):
        sent = {"email": unique_email()}
        assert client.post("/api/v1/echo", json=sent).json() == sent


    @pytest.mark.rule("api-design")
    def test_database_is_fresh(db_path):
        assert not db_path.exists()
    """
)

LEAKY_APP = textwrap.dedent(
    """
    import os
    import random
    import time

    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/api/v1/ping")
    def ping() -> dict[str, str]:
        return {"status": "ok"}


    @app.post("/api/v1/echo")
    def echo(body: dict) -> dict:
        return {
            **body,
            "object": repr(object()),
            "random": random.random(),
            "file": __file__,
            "tmp": os.listdir("/tmp") if os.path.isdir("/tmp") else [],
            "tz": time.tzname[0],
            "hash": hash("same everywhere"),
        }
    """
)

FAILING_MODULE = 'raise RuntimeError(f"cannot load {__file__}: {object()}")\n'


def without_durations(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_durations(v) for k, v in value.items() if k != "duration_s"}
    if isinstance(value, list):
        return [without_durations(v) for v in value]
    return value


def test_grading_a_sample_twice_gives_identical_grades(make_case, tmp_path: Path):
    case = load_case(make_case(files={"tests/test_ping.py": TESTS}))
    workspace = tmp_path / "workspace"
    files = {
        "app/__init__.py": "",
        "app/main.py": LEAKY_APP,
        "app/broken.py": FAILING_MODULE,
    }
    for rel, text in files.items():
        (workspace / rel).parent.mkdir(parents=True, exist_ok=True)
        (workspace / rel).write_text(text)
    executor = Executor(sb.Sandbox(sb.choose_level("auto")))
    variant = Variant("agent")

    grades = []
    for attempt in ("first", "second"):
        result, _ = grade_workspace(
            case, variant, workspace, tmp_path / attempt / "grading", executor
        )
        grades.append({name: g.model_dump() for name, g in sorted(result.items())})

    first, second = grades
    tests = first["tests"]
    # The sample really leaked what differs between gradings into its messages...
    echo = next(t for t in tests["tests"] if t["id"] == "test_echo_returns_what_was_sent")
    assert echo["outcome"] == "failed" and "object" in echo["message"], echo
    assert "cannot load" in str(first["imports"]["findings"])
    assert next(t for t in tests["tests"] if t["id"] == "test_database_is_fresh")["outcome"] == (
        "passed"
    )
    # ...and yet the grades agree to the letter.
    assert without_durations(first) == without_durations(second)
