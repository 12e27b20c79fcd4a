import pytest

from evals.records import ToolUseBlock
from evals.tools import Toolset
from evals.workspace import Workspace


@pytest.fixture
def tools(tmp_path):
    ws = Workspace.create(tmp_path / "ws", {"app/main.py": b"import os\nvalue = 1\nvalue = 1\n"})
    return Toolset(workspace=ws)


def call(tools, name, **args):
    return tools.execute(ToolUseBlock(id="t1", name=name, input=args))


def test_write_then_read_round_trips_with_line_numbers(tools):
    result = call(tools, "Write", file_path="/workspace/app/new.py", content="a = 1\nb = 2\n")
    assert not result.is_error and "Created /workspace/app/new.py" in result.content
    read = call(tools, "Read", file_path="app/new.py", offset=2)
    assert read.content == "     2\tb = 2"


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "/workspace/../../x"])
def test_traversal_in_write_is_a_tool_error_and_writes_nothing(tools, tmp_path, path):
    result = call(tools, "Write", file_path=path, content="pwned")
    assert result.is_error
    assert "outside the workspace" in result.content
    assert not (tmp_path / "x").exists()


def test_read_outside_is_refused(tools):
    result = call(tools, "Read", file_path="../../etc/passwd")
    assert result.is_error and "outside the workspace" in result.content


def test_write_to_conftest_is_refused_with_a_reason(tools):
    result = call(tools, "Write", file_path="conftest.py", content="import os")
    assert result.is_error and "reserved for the grader" in result.content


def test_edit_requires_a_unique_match_unless_replace_all(tools):
    ambiguous = call(
        tools, "Edit", file_path="app/main.py", old_string="value = 1", new_string="value = 2"
    )
    assert ambiguous.is_error and "occurs 2 times" in ambiguous.content
    done = call(tools, "Edit", file_path="app/main.py", old_string="value = 1",
                new_string="value = 2", replace_all=True)  # fmt: skip
    assert not done.is_error
    assert call(tools, "Read", file_path="app/main.py").content.count("value = 2") == 2


def test_glob_and_grep_find_workspace_files(tools):
    call(tools, "Write", file_path="app/api/users.py", content="router = 1\n")
    globbed = call(tools, "Glob", pattern="**/*.py")
    assert "/workspace/app/api/users.py" in globbed.content
    grepped = call(tools, "Grep", pattern="^router", output_mode="content")
    assert grepped.content == "/workspace/app/api/users.py:1:router = 1"


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [("Write", {"file_path": "a.py"}, "'content' is required"),
     ("Read", {"file_path": 3}, "'file_path' is required"),
     ("Read", {"file_path": "app/main.py", "offset": "x"}, "must be an integer"),
     ("Grep", {"pattern": "("}, "error"),
     ("Frobnicate", {}, "unknown tool 'Frobnicate'"),
     ("Bash", {"command": "ls"}, "unknown tool 'Bash'")],
)  # fmt: skip
def test_malformed_tool_input_comes_back_as_a_readable_tool_error(tools, name, args, message):
    result = call(tools, name, **args)
    assert result.is_error
    assert message in result.content
