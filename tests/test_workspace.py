import os

import pytest

from evals.errors import WorkspaceError
from evals.workspace import Limits, Workspace


@pytest.fixture
def ws(tmp_path):
    return Workspace.create(tmp_path / "ws", {"app/main.py": b"print('hi')\n"})


@pytest.mark.parametrize(
    "given",
    ["../outside.py", "app/../../outside.py", "/etc/passwd", "/workspace/../etc/passwd",
     "/workspacex/file.py", "a\x00b.py", ""],
)  # fmt: skip
def test_paths_resolving_outside_the_workspace_are_refused(ws, given):
    with pytest.raises(WorkspaceError):
        ws.check_writable(given, 10)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("app/main.py", "app/main.py"), ("/workspace/app/main.py", "app/main.py"),
     ("./app/../app/main.py", "app/main.py")],
)  # fmt: skip
def test_relative_and_virtual_absolute_paths_are_accepted(ws, given, expected):
    assert ws.resolve(given) == ws.root / expected


def test_symlink_pointing_outside_is_refused(ws, tmp_path):
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", ws.root / "link.txt")
    with pytest.raises(WorkspaceError, match="symlink"):
        ws.resolve("link.txt")


@pytest.mark.parametrize(
    "given",
    ["conftest.py", "app/conftest.py", "tests/test_x.py", "pytest.ini", "pyproject.toml",
     "setup.cfg", "tox.ini", "sitecustomize.py", "evil.pth", "app/x.pth", ".git/config"],
)  # fmt: skip
def test_files_that_would_change_grading_are_protected(ws, given):
    with pytest.raises(WorkspaceError, match="reserved for the grader"):
        ws.check_writable(given, 10)


def test_size_and_count_caps_hold(tmp_path):
    ws = Workspace.create(
        tmp_path / "ws",
        {"a.py": b"x"},
    )
    ws.limits = Limits(max_files=1, max_file_bytes=100, max_total_bytes=150)
    with pytest.raises(WorkspaceError, match="exceeds 100"):
        ws.check_writable("a.py", 101)
    with pytest.raises(WorkspaceError, match="already holds 1 files"):
        ws.check_writable("b.py", 10)
