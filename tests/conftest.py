"""Shared fixtures: small case folders built on the fly, so loader and pipeline tests do not
depend on the golden suite's contents."""

from __future__ import annotations

import contextlib
import textwrap
from pathlib import Path

import pytest

from evals.cases import record_base_hashes
from evals.errors import CaseError
from evals.execute import Executor, WarmExecutor, unsupported_reason
from evals.execute import sandbox as sb

MINIMAL_APP = textwrap.dedent(
    """
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/api/v1/ping")
    def ping() -> dict[str, str]:
        return {"status": "ok"}
    """
)

MINIMAL_TESTS = textwrap.dedent(
    """
    import pytest


    @pytest.mark.rule("api-design")
    def test_ping_answers_ok(client):
        response = client.get("/api/v1/ping")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
    """
)

MINIMAL_TOML = textwrap.dedent(
    """
    id = "{id}"
    title = "Ping"
    kind = "create"
    difficulty = "easy"
    tags = ["api-design"]
    entrypoint = "app.main:app"

    [limits]
    timeout_s = {timeout}

    [mutants.broken]
    description = "wrong body"
    must_fail = ["test_ping_answers_ok"]
    """
)


def write_tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def make_case(tmp_path: Path):
    """Write a case folder: make_case("ping", toml=..., files={...}) -> its path.

    Defaults give a valid minimal case; pass ``toml`` or ``files`` entries to break it, or
    ``None`` as a file's content to leave it out.
    """

    def make(
        case_id: str = "ping",
        *,
        toml: str | None = None,
        files: dict[str, str | None] | None = None,
        timeout: int = 30,
    ) -> Path:
        root = tmp_path / "cases" / case_id
        tree: dict[str, str | None] = {
            "case.toml": toml
            if toml is not None
            else MINIMAL_TOML.format(id=case_id, timeout=timeout),
            "prompt.md": "Build a ping endpoint.\n",
            "tests/test_ping.py": MINIMAL_TESTS,
            "reference/app/__init__.py": "",
            "reference/app/main.py": MINIMAL_APP,
            "mutants/broken/app/main.py": MINIMAL_APP.replace('"ok"}', '"ko"}'),
        }
        tree.update(files or {})
        write_tree(root, {k: v for k, v in tree.items() if v is not None})
        if toml is None:
            # An author records each mutant's base when writing it; a case a test broke on
            # purpose (it does not load) is left exactly as written.
            with contextlib.suppress(CaseError):
                record_base_hashes(root)
        return root

    return make


def executors():
    """Both executors as ``parametrize`` values (factories), warm skipped where it cannot run."""
    level = sb.choose_level("auto")
    yield pytest.param(lambda: Executor(sb.Sandbox(level)), id="fresh")
    warm_skip = unsupported_reason(sb.Sandbox(level))
    marks = [pytest.mark.skipif(warm_skip is not None, reason=str(warm_skip))]
    yield pytest.param(lambda: WarmExecutor(sb.Sandbox(level)), id="warm", marks=marks)
