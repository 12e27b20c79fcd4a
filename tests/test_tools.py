"""The tools' results, worded as Claude Code words them. Every expected text below was measured
from the bundled CLI (claude-agent-sdk 0.2.189, Claude Code 2.1.332) against the fake Messages
API; the parity test (tests/test_claude_code_parity.py) checks the shared ones end to end."""

import pytest

from evals.records import ToolUseBlock
from evals.tools import STATE_NOTE, Toolset
from evals.workspace import Workspace

MISSING = "File does not exist. Note: your current working directory is /workspace."


@pytest.fixture
def tools(tmp_path):
    ws = Workspace.create(tmp_path / "ws", {"app/main.py": b"import os\nvalue = 1\nvalue = 1\n"})
    return Toolset(workspace=ws)


def call(tools, name, **args):
    return tools.execute(ToolUseBlock(id="t1", name=name, input=args))


def ok(tools, name, **args):
    result = call(tools, name, **args)
    assert not result.is_error, result.content
    return result.content


def error(tools, name, **args):
    result = call(tools, name, **args)
    assert result.is_error, result.content
    return result.content


def test_write_creates_then_updates_with_claude_codes_wording(tools):
    created = ok(tools, "Write", file_path="/workspace/app/new.py", content="a = 1\nb = 2\n")
    assert created == f"File created successfully at: /workspace/app/new.py{STATE_NOTE}"
    updated = ok(tools, "Write", file_path="/workspace/app/new.py", content="a = 2\n")
    assert updated == f"The file /workspace/app/new.py has been updated successfully.{STATE_NOTE}"
    # The path is echoed as given.
    assert ok(tools, "Write", file_path="rel.txt", content="r\n").startswith(
        "File created successfully at: rel.txt ("
    )
    assert STATE_NOTE == " (file state is current in your context — no need to Read it back)"


def test_read_numbers_lines_like_claude_code(tools):
    ok(tools, "Write", file_path="/workspace/n.txt", content="alpha\nbeta\ngamma\ndelta\n")
    # A final newline gives an empty, numbered last line.
    assert ok(tools, "Read", file_path="/workspace/n.txt") == (
        "1\talpha\n2\tbeta\n3\tgamma\n4\tdelta\n5\t"
    )
    assert ok(tools, "Read", file_path="n.txt", offset=2, limit=2) == "2\tbeta\n3\tgamma"
    assert ok(tools, "Read", file_path="n.txt", offset=0, limit=1) == "0\talpha"
    assert ok(tools, "Read", file_path="n.txt", limit=0).startswith("1\talpha\n")
    assert ok(tools, "Read", file_path="n.txt", offset="2", limit=1) == "2\tbeta"
    assert ok(tools, "Read", file_path="n.txt", offset=50) == (
        "<system-reminder>Warning: the file exists but is shorter than the provided offset "
        "(50). The file has 5 lines.</system-reminder>"
    )
    ok(tools, "Write", file_path="crlf.txt", content="a\r\nb\r\n")
    assert ok(tools, "Read", file_path="crlf.txt") == "1\ta\n2\tb\n3\t"
    ok(tools, "Write", file_path="empty.txt", content="")
    assert ok(tools, "Read", file_path="empty.txt") == (
        "<system-reminder>Warning: the file exists but the contents are empty.</system-reminder>"
    )


def test_read_of_a_missing_file_or_a_directory_is_an_unwrapped_error(tools):
    assert error(tools, "Read", file_path="/workspace/missing.txt") == MISSING
    assert error(tools, "Read", file_path="/workspace/app") == (
        "EISDIR: illegal operation on a directory, read '/workspace/app'"
    )


def test_a_large_whole_file_read_is_refused_unless_allow_large(tools):
    ok(tools, "Write", file_path="big.txt", content="".join(f"{n}\n" for n in range(60_000)))
    refused = error(tools, "Read", file_path="big.txt")
    assert refused.startswith(
        "File content (340.7KB) exceeds maximum allowed size (256KB). Use offset and limit "
    )
    assert ok(tools, "Read", file_path="big.txt", offset=10, limit=2) == "10\t9\n11\t10"
    assert ok(tools, "Read", file_path="big.txt", allow_large=True).startswith("1\t0\n2\t1\n")


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "/workspace/../../x"])
def test_traversal_in_write_is_a_tool_error_and_writes_nothing(tools, tmp_path, path):
    result = call(tools, "Write", file_path=path, content="pwned")
    assert result.is_error
    assert "outside the workspace" in result.content
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("name", ["Read", "Edit"])
def test_read_and_edit_outside_are_refused(tools, name):
    args = {"old_string": "root", "new_string": "x"} if name == "Edit" else {}
    result = call(tools, name, file_path="../../etc/passwd", **args)
    assert result.is_error and "outside the workspace" in result.content


def test_write_to_conftest_is_refused_with_a_reason(tools):
    result = call(tools, "Write", file_path="conftest.py", content="import os")
    assert result.is_error and "reserved for the grader" in result.content


def test_edit_results_and_refusals_are_claude_codes(tools):
    path = "/workspace/app/main.py"
    assert error(tools, "Edit", file_path=path, old_string="value = 1", new_string="v = 2") == (
        "<tool_use_error>Found 2 matches of the string to replace, but replace_all is false. To "
        "replace all occurrences, set replace_all to true. To replace only one occurrence, please "
        "provide more context to uniquely identify the instance.\nString: value = 1"
        "</tool_use_error>"
    )
    assert error(tools, "Edit", file_path=path, old_string="zzz", new_string="q") == (
        "<tool_use_error>String to replace not found in file.\nString: zzz</tool_use_error>"
    )
    assert error(tools, "Edit", file_path=path, old_string="os", new_string="os") == (
        "<tool_use_error>No changes to make: old_string and new_string are exactly the same."
        "</tool_use_error>"
    )
    assert error(tools, "Edit", file_path="/workspace/no.py", old_string="a", new_string="b") == (
        f"<tool_use_error>{MISSING}</tool_use_error>"
    )
    assert error(tools, "Edit", file_path=path, old_string="", new_string="top\n") == (
        "<tool_use_error>Cannot create new file - file already exists.</tool_use_error>"
    )
    # Never read: no note. Edited once, the file's state is known: the note from then on.
    done = ok(tools, "Edit", file_path=path, old_string="import os", new_string="import re")
    assert done == f"The file {path} has been updated successfully."
    assert ok(
        tools,
        "Edit",
        file_path=path,
        old_string="value = 1",
        new_string="value = 2",
        replace_all=True,
    ) == (
        f"The file {path} has been updated. All occurrences were successfully replaced.{STATE_NOTE}"
    )
    assert ok(tools, "Read", file_path=path).count("value = 2") == 2


def test_edit_notes_the_file_state_only_after_a_whole_read(tools):
    ok(tools, "Write", file_path="a.txt", content="a\nb\nc\n")
    tools.known.clear()  # as if another process wrote it
    ok(tools, "Read", file_path="a.txt", offset=2, limit=1)
    assert not ok(tools, "Edit", file_path="a.txt", old_string="c", new_string="C").endswith(
        STATE_NOTE
    )
    ok(tools, "Read", file_path="a.txt", offset=2)  # a part of it again: no longer known
    assert not ok(tools, "Edit", file_path="a.txt", old_string="b", new_string="B").endswith(
        STATE_NOTE
    )
    tools.known.clear()
    ok(tools, "Read", file_path="a.txt", limit=10)  # the whole file, though a limit was given
    assert ok(tools, "Edit", file_path="a.txt", old_string="a", new_string="A").endswith(STATE_NOTE)


def test_edit_with_an_empty_old_string_creates_the_file(tools, tmp_path):
    made = ok(tools, "Edit", file_path="/workspace/made.txt", old_string="", new_string="made\n")
    assert made == f"The file /workspace/made.txt has been updated successfully.{STATE_NOTE}"
    assert (tmp_path / "ws" / "made.txt").read_text() == "made\n"


def test_glob_and_grep_find_workspace_files(tools):
    call(tools, "Write", file_path="app/api/users.py", content="router = 1\n")
    globbed = call(tools, "Glob", pattern="**/*.py")
    assert "/workspace/app/api/users.py" in globbed.content
    grepped = call(tools, "Grep", pattern="^router", output_mode="content")
    assert grepped.content == "/workspace/app/api/users.py:1:router = 1"


def test_glob_and_grep_not_offered_point_to_bash(tmp_path):
    tools = Toolset(workspace=Workspace.create(tmp_path / "w", {}), enabled=("Read",))
    assert error(tools, "Glob", pattern="*") == (
        "<tool_use_error>Error: No such tool available: Glob. Glob is not available in this "
        "session — find files with `find` via the Bash tool instead.</tool_use_error>"
    )
    assert error(tools, "Grep", pattern="x") == (
        "<tool_use_error>Error: No such tool available: Grep. Grep is not available in this "
        "session — search file contents with `grep` via the Bash tool instead.</tool_use_error>"
    )


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [("Write", {"file_path": "/workspace/q.txt"},
      "<tool_use_error>InputValidationError: Write failed due to the following issue:\n"
      "The required parameter `content` is missing</tool_use_error>"),
     ("Read", {"path": "x"},
      "<tool_use_error>InputValidationError: Read failed due to the following issues:\n"
      "The required parameter `file_path` is missing\n"
      "An unexpected parameter `path` was provided</tool_use_error>"),
     ("Read", {"file_path": 3},
      "<tool_use_error>InputValidationError: Read failed due to the following issue:\n"
      "The parameter `file_path` type is expected as `string` but provided as `number`"
      "</tool_use_error>"),
     ("Frobnicate", {}, "<tool_use_error>Error: No such tool available: Frobnicate</tool_use_error>"),
     ("Bash", {"command": "ls"}, "<tool_use_error>Error: No such tool available: Bash</tool_use_error>")],
)  # fmt: skip
def test_malformed_tool_input_comes_back_as_claude_codes_tool_error(tools, name, args, message):
    assert error(tools, name, **args) == message


def test_other_input_errors_are_tool_errors_too(tools):
    assert "`offset` type is expected as `integer` but provided as `string`" in error(
        tools, "Read", file_path="app/main.py", offset="x"
    )
    assert "error" in error(tools, "Grep", pattern="(")


def fake_bash(output):
    seen = []

    def run(command, timeout):
        seen.append((command, timeout))
        return output

    return run, seen


@pytest.mark.parametrize(
    ("output", "is_error", "content"),
    [("hello\n\n[exit code 0]", False, "hello"),
     ("[exit code 0]", False, "(Bash completed with no output)"),
     ("\n\n  x  \n\n[exit code 0]", False, "  x"),
     ("out\nerr\n\n[exit code 3]", True, "Exit code 3\nout\nerr"),
     ("[exit code 1]", True, "Exit code 1"),
     ("[timed out]", True, "Exit code 143\nCommand timed out after 2s"),
     ("before\n[timed out]", True, "Exit code 143\nbefore\nCommand timed out after 2s")],
)  # fmt: skip
def test_bash_results_follow_claude_code(tmp_path, output, is_error, content):
    run, seen = fake_bash(output)
    tools = Toolset(workspace=Workspace.create(tmp_path / "w", {}), bash=run)
    result = call(tools, "Bash", command="make it", timeout=1500)
    assert (result.is_error, result.content) == (is_error, content)
    # One stream, as in Claude Code: stderr interleaves with stdout.
    assert seen == [("exec 2>&1; make it", 1.5)]


def test_bash_timeout_accepts_a_numeric_string_and_refuses_anything_else(tmp_path):
    run, seen = fake_bash("[exit code 0]")
    tools = Toolset(workspace=Workspace.create(tmp_path / "w", {}), bash=run)
    assert ok(tools, "Bash", command="ls", timeout="5000") == "(Bash completed with no output)"
    assert seen[-1][1] == 5.0
    assert "`timeout` type is expected as `number`" in error(tools, "Bash", command="ls",
                                                             timeout="soon")  # fmt: skip
