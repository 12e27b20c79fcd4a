"""One ruff call for a batch of workspaces, with each workspace's findings its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders import ruff
from graders.ruff_batch import RuffBatch

CLEAN = "def f(x: int) -> int:\n    return x + 1\n"
DIRTY = "import os\n\n\ndef f(x):\n    return eval(x)\n"


def workspace(root: Path, name: str, source: str) -> Path:
    path = root / name
    (path / "app").mkdir(parents=True)
    (path / "app" / "main.py").write_text(source)
    return path


@pytest.fixture
def calls(monkeypatch) -> list[list[Path]]:
    seen: list[list[Path]] = []
    real = ruff.run_ruff

    def counting(paths: list[Path]) -> list[dict]:
        seen.append(list(paths))
        return real(paths)

    monkeypatch.setattr(ruff, "run_ruff", counting)
    return seen


def codes(raw: list[dict], root: Path) -> list[tuple[str, str]]:
    return sorted((f.code, f.path) for f in (ruff.to_finding(r, root) for r in raw))


def test_announced_workspaces_are_linted_in_one_call_with_their_own_findings(tmp_path, calls):
    spaces = [workspace(tmp_path, f"s{i}", DIRTY if i % 2 else CLEAN) for i in range(5)]
    batch = RuffBatch()
    for space in spaces:
        batch.submit(space)
    found = {space: batch.findings(space) for space in spaces}
    assert len(calls) == 1 and len(calls[0]) == 5
    for space in spaces:
        assert codes(found[space], space) == codes(ruff.run_ruff([space]), space)
    assert codes(found[spaces[1]], spaces[1]) == [("F401", "app/main.py"), ("S307", "app/main.py")]
    assert found[spaces[0]] == []


def test_a_workspace_nobody_announced_is_linted_on_its_own(tmp_path, calls):
    space = workspace(tmp_path, "alone", DIRTY)
    assert codes(RuffBatch().findings(space), space)[0][0] == "F401"
    assert calls == [[space.resolve()]]


def test_each_announcement_is_read_once_so_a_regenerated_workspace_is_linted_again(tmp_path, calls):
    space = workspace(tmp_path, "again", DIRTY)
    batch = RuffBatch()
    batch.submit(space)
    assert batch.findings(space)
    (space / "app" / "main.py").write_text(CLEAN)
    batch.submit(space)
    assert batch.findings(space) == []
    assert len(calls) == 2


def test_a_workspace_that_breaks_the_batch_does_not_fail_the_others(tmp_path, monkeypatch):
    good = workspace(tmp_path, "good", DIRTY)
    gone = workspace(tmp_path, "gone", CLEAN)
    real = ruff.run_ruff

    def picky(paths: list[Path]) -> list[dict]:
        if len(paths) > 1:
            raise RuntimeError("ruff choked on the batch")
        return real(paths)

    monkeypatch.setattr(ruff, "run_ruff", picky)
    batch = RuffBatch()
    batch.submit(good)
    batch.submit(gone)
    assert codes(batch.findings(good), good)[0][0] == "F401"
