"""Claude-Code-shaped tools (Read, Write, Edit, Glob, Grep, Bash) over a :class:`Workspace`.

Every failure is returned to the agent as a tool error it can read and react to; a tool call
never raises into the loop. Inputs are validated here because the model may send anything.

Results are worded as Claude Code words them (measured from the bundled CLI against the fake
Messages API, ``../shared/CLAUDE_CODE.md``; the README's "Engines" table lists what still
differs): an agent prompt may rely on them. Path checks stay ours: a path outside the
workspace, or a reserved one, is refused whatever Claude Code would have done.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from evals import untrusted
from evals.errors import WorkspaceError
from evals.records import ToolResultBlock, ToolSpec, ToolUseBlock
from evals.workspace import VIRTUAL_ROOT, Workspace

MAX_RESULT_CHARS = 30_000
BASH_DEFAULT_TIMEOUT_MS = 120_000
BASH_MAX_TIMEOUT_MS = 600_000
"""Bash's ``timeout`` is in milliseconds, with Claude Code's default and maximum."""
TIMEOUT_EXIT = 143
"""The exit code a timed-out command reports (killed by SIGTERM, as Claude Code says)."""
MAX_READ_BYTES = 256 * 1024
"""A whole-file Read larger than this is refused (unless ``allow_large``), as Claude Code does."""
MAX_TOOL_FILE_BYTES = 20_000_000
"""What Read, Edit and Grep open (the workspace's own total cap)."""
BINARY_CONTENT = "content_base64"
"""Write's input key for bytes that are not UTF-8 text (see :meth:`Toolset._tool_write`)."""
STATE_NOTE = " (file state is current in your context \u2014 no need to Read it back)"
"""Claude Code's suffix on a Write or Edit whose result the model knows in full."""
MISSING_FILE = f"File does not exist. Note: your current working directory is {VIRTUAL_ROOT}."
EMPTY_FILE = "the file exists but the contents are empty."
ALL_REPLACED = "All occurrences were successfully replaced."
SEARCH_VIA_BASH = {
    "Glob": "find files with `find` via the Bash tool instead",
    "Grep": "search file contents with `grep` via the Bash tool instead",
}
"""What Claude Code answers a subagent that calls Glob or Grep (it has neither)."""
_INTERNAL_KEYS = {"_unparsed_input"}
"""Set by the provider for a tool input that was not JSON (its required fields are missing)."""

SPECS: dict[str, ToolSpec] = {
    spec.name: spec
    for spec in [
        ToolSpec(
            name="Read",
            description="Read a file from the workspace. Returns numbered lines (cat -n).",
            input_schema={
                "type": "object",
                "properties": {
                    "file_path": {"type": "string", "description": "Path of the file to read"},
                    "offset": {"type": "integer", "description": "1-based line to start at"},
                    "limit": {"type": "integer", "description": "Number of lines to read"},
                    "allow_large": {
                        "type": "boolean",
                        "description": "Read a file over the usual size limit anyway",
                    },
                },
                "required": ["file_path"],
                "additionalProperties": False,
            },
        ),
        ToolSpec(
            name="Write",
            description="Write a file in the workspace, replacing it if it exists.",
            input_schema={
                "type": "object",
                "properties": {
                    "file_path": {"type": "string", "description": "Path of the file to write"},
                    "content": {"type": "string", "description": "The full file content"},
                },
                "required": ["file_path", "content"],
                "additionalProperties": False,
            },
        ),
        ToolSpec(
            name="Edit",
            description=(
                "Replace old_string with new_string in a file. old_string must occur exactly "
                "once unless replace_all is true."
            ),
            input_schema={
                "type": "object",
                "properties": {
                    "file_path": {"type": "string"},
                    "old_string": {"type": "string"},
                    "new_string": {"type": "string"},
                    "replace_all": {"type": "boolean", "default": False},
                },
                "required": ["file_path", "old_string", "new_string"],
                "additionalProperties": False,
            },
        ),
        ToolSpec(
            name="Glob",
            description="List workspace files matching a glob pattern such as '**/*.py'.",
            input_schema={
                "type": "object",
                "properties": {
                    "pattern": {"type": "string"},
                    "path": {"type": "string", "description": "Directory to search in"},
                },
                "required": ["pattern"],
            },
        ),
        ToolSpec(
            name="Grep",
            description=(
                "Search file contents with a regular expression. output_mode: "
                "'files_with_matches' (default), 'content' (matching lines with numbers) "
                "or 'count'."
            ),
            input_schema={
                "type": "object",
                "properties": {
                    "pattern": {"type": "string"},
                    "path": {"type": "string"},
                    "glob": {"type": "string"},
                    "output_mode": {
                        "type": "string",
                        "enum": ["content", "files_with_matches", "count"],
                    },
                    "-i": {"type": "boolean"},
                },
                "required": ["pattern"],
            },
        ),
        ToolSpec(
            name="Bash",
            description=(
                "Run a shell command in the workspace inside a sandbox: no network, no "
                "secrets, a time limit. Use it to run python, import checks or ruff. The "
                "working directory is reset between calls: use absolute paths. A command "
                "that fails comes back as an error with its exit code and output."
            ),
            input_schema={
                "type": "object",
                "properties": {
                    "command": {"type": "string", "description": "The command to run"},
                    "timeout": {
                        "type": "number",
                        "description": f"Timeout in milliseconds (max {BASH_MAX_TIMEOUT_MS})",
                    },
                    "description": {
                        "type": "string",
                        "description": "What the command does, in a few words",
                    },
                },
                "required": ["command"],
                "additionalProperties": False,
            },
        ),
    ]
}
DEFAULT_TOOLS = ("Read", "Write", "Edit", "Glob", "Grep", "Bash")
"""Every tool implemented here (a Toolset's default)."""
SUBAGENT_TOOLS = ("Read", "Write", "Edit", "Bash")
"""What an agent file without ``tools:`` gets: the tools of these a Claude Code subagent has
(it has no Glob or Grep; it searches through Bash). Glob and Grep stay for agent files that
list them."""

BashRunner = Callable[[str, float], str]
"""Runs a command in the workspace's sandbox and returns its combined, capped output."""


class ToolInputError(Exception):
    """A refusal: the call itself is wrong (answered inside ``<tool_use_error>``)."""


class ToolFailed(Exception):
    """The tool ran and failed (a command's non-zero exit, a Read of a missing file): an error
    result, unwrapped."""


@dataclass
class Toolset:
    workspace: Workspace
    enabled: tuple[str, ...] = DEFAULT_TOOLS
    bash: BashRunner | None = None
    known: set[Path] = field(default_factory=set, init=False, repr=False)
    """Files whose whole content the model has seen (a Write, an Edit, or a last Read that
    covered the whole file): an Edit of one of them ends with :data:`STATE_NOTE`, as in Claude
    Code."""

    def specs(self) -> list[ToolSpec]:
        names = [n for n in self.enabled if n != "Bash" or self.bash is not None]
        return [SPECS[n] for n in names]

    def execute(self, call: ToolUseBlock) -> ToolResultBlock:
        handler = getattr(self, f"_tool_{call.name.lower()}", None)
        offered = {spec.name for spec in self.specs()}
        if call.name not in offered or handler is None:
            hint = SEARCH_VIA_BASH.get(call.name)
            message = f"Error: No such tool available: {call.name}"
            if hint:
                message += f". {call.name} is not available in this session \u2014 {hint}."
            return self._error(call, message)
        try:
            args = _validated(call.name, call.input)
            text = handler(args)
        except ToolFailed as exc:
            return ToolResultBlock(tool_use_id=call.id, content=_cap(str(exc)), is_error=True)
        except (WorkspaceError, ToolInputError) as exc:
            return self._error(call, str(exc))
        except (OSError, UnicodeDecodeError, re.error) as exc:
            return self._error(call, f"{type(exc).__name__}: {exc}")
        return ToolResultBlock(tool_use_id=call.id, content=_cap(text))

    @staticmethod
    def _error(call: ToolUseBlock, message: str) -> ToolResultBlock:
        # Claude Code's convention for a refused call, which the agent's prompt may rely on.
        wrapped = f"<tool_use_error>{_cap(message)}</tool_use_error>"
        return ToolResultBlock(tool_use_id=call.id, content=wrapped, is_error=True)

    # --- tools --------------------------------------------------------------------------------

    def _tool_read(self, args: dict[str, Any]) -> str:
        real = self.workspace.resolve(_str(args, "file_path"))
        if real.is_dir():
            shown = self.workspace.display(real)
            raise ToolFailed(f"EISDIR: illegal operation on a directory, read '{shown}'")
        if not real.is_file():
            raise ToolFailed(MISSING_FILE)  # unwrapped, as Claude Code answers a Read
        offset = _int(args, "offset", None)
        limit = _int(args, "limit", None)
        whole = offset is None and limit is None
        size = real.stat().st_size
        if whole and size > MAX_READ_BYTES and not args.get("allow_large"):
            raise ToolFailed(
                f"File content ({size / 1024:.1f}KB) exceeds maximum allowed size "
                f"({MAX_READ_BYTES // 1024}KB). Use offset and limit parameters to read specific "
                "portions of the file, or search for specific content instead of reading the "
                "whole file. To read it anyway, up to what still fits in your context, call Read "
                "again with allow_large: true \u2014 only if you genuinely need all of it or the "
                "user asked for the whole file."
            )
        text = _read_text(real).replace("\r\n", "\n")
        if not text:
            self.known.add(real)
            return f"<system-reminder>Warning: {EMPTY_FILE}</system-reminder>"
        # Claude Code splits on newlines (a final newline gives an empty last line) and numbers
        # from the offset as given (an offset of 0 reads from the top, numbered from 0).
        lines = text.split("\n")
        start = max((offset or 1) - 1, 0)
        if start >= len(lines):
            self.known.discard(real)
            return (
                "<system-reminder>Warning: the file exists but is shorter than the provided "
                f"offset ({offset}). The file has {len(lines)} lines.</system-reminder>"
            )
        end = len(lines) if not limit or limit < 0 else start + limit
        # What the model last saw of the file: a part of it replaces the whole (measured).
        if start == 0 and end >= len(lines):
            self.known.add(real)
        else:
            self.known.discard(real)
        first = offset if offset is not None and offset >= 0 else 1
        return "\n".join(f"{n}\t{line}" for n, line in enumerate(lines[start:end], start=first))

    def _tool_write(self, args: dict[str, Any]) -> str:
        given = _str(args, "file_path")
        if isinstance(args.get(BINARY_CONTENT), str):
            # Not in the advertised schema: the reference provider's way to play a known
            # solution's binary file (an image fixture, say) through the same checks.
            try:
                data = base64.b64decode(args[BINARY_CONTENT], validate=True)
            except ValueError:
                raise ToolInputError(f"{BINARY_CONTENT} is not valid base64") from None
        else:
            data = _str(args, "content", allow_empty=True).encode("utf-8")
        real = self.workspace.check_writable(given, len(data))
        existed = real.exists()
        real.parent.mkdir(parents=True, exist_ok=True)
        _write(real, data)
        self.known.add(real)
        if existed:
            return f"The file {given} has been updated successfully.{STATE_NOTE}"
        return f"File created successfully at: {given}{STATE_NOTE}"

    def _tool_edit(self, args: dict[str, Any]) -> str:
        given = _str(args, "file_path")
        old = _str(args, "old_string", allow_empty=True)
        new = _str(args, "new_string", allow_empty=True)
        if old == new:
            raise ToolInputError(
                "No changes to make: old_string and new_string are exactly the same."
            )
        real = self.workspace.resolve(given)
        if real.is_dir() or (real.exists() and not real.is_file()):
            raise ToolInputError(f"{given}: not a regular file")
        if not real.exists() and old:
            raise ToolInputError(MISSING_FILE)
        text = _read_text(real) if real.exists() else ""
        if not old:
            # An empty old_string creates the file (or fills an empty one), as in Claude Code.
            if text:
                raise ToolInputError("Cannot create new file - file already exists.")
            updated, replaced_all, seen = new, False, True
        else:
            count = text.count(old)
            if count == 0:
                raise ToolInputError(f"String to replace not found in file.\nString: {old}")
            replaced_all = bool(args.get("replace_all"))
            if count > 1 and not replaced_all:
                raise ToolInputError(
                    f"Found {count} matches of the string to replace, but replace_all is false. "
                    "To replace all occurrences, set replace_all to true. To replace only one "
                    "occurrence, please provide more context to uniquely identify the instance."
                    f"\nString: {old}"
                )
            updated = text.replace(old, new, -1 if replaced_all else 1)
            seen = real in self.known
        data = updated.encode("utf-8")
        real = self.workspace.check_writable(given, len(data))
        real.parent.mkdir(parents=True, exist_ok=True)
        _write(real, data)
        self.known.add(real)
        note = STATE_NOTE if seen else ""
        if replaced_all:
            return f"The file {given} has been updated. {ALL_REPLACED}{note}"
        return f"The file {given} has been updated successfully.{note}"

    def _tool_glob(self, args: dict[str, Any]) -> str:
        pattern = _str(args, "pattern")
        if pattern.startswith("/") or ".." in PurePosixPath(pattern).parts:
            raise ToolInputError("pattern must be relative; use 'path' for a directory")
        base = self.workspace.resolve(args.get("path") or ".")
        matches = [p for p in sorted(base.glob(pattern)) if p.is_file() and p in self._all_files()]
        return "\n".join(self.workspace.display(p) for p in matches) or "No files found"

    def _tool_grep(self, args: dict[str, Any]) -> str:
        flags = re.IGNORECASE if args.get("-i") else 0
        regex = re.compile(_str(args, "pattern"), flags)
        base = self.workspace.resolve(args.get("path") or ".")
        glob = args.get("glob")
        mode = args.get("output_mode") or "files_with_matches"
        if mode not in ("content", "files_with_matches", "count"):
            raise ToolInputError(f"unknown output_mode {mode!r}")
        candidates = (
            [base] if base.is_file() else [p for p in self._all_files() if base in p.parents]
        )
        out: list[str] = []
        for path in candidates:
            if glob and not (path.match(glob) or PurePosixPath(path.name).match(glob)):
                continue
            try:
                lines = _read_text(path).splitlines()
            except (UnicodeDecodeError, ToolInputError):
                continue
            hits = [(n, line) for n, line in enumerate(lines, 1) if regex.search(line)]
            if not hits:
                continue
            shown = self.workspace.display(path)
            if mode == "files_with_matches":
                out.append(shown)
            elif mode == "count":
                out.append(f"{shown}:{len(hits)}")
            else:
                out.extend(f"{shown}:{n}:{line}" for n, line in hits)
        return "\n".join(out) or "No matches found"

    def _tool_bash(self, args: dict[str, Any]) -> str:
        assert self.bash is not None
        given = args.get("timeout", BASH_DEFAULT_TIMEOUT_MS)
        if given is None:
            given = BASH_DEFAULT_TIMEOUT_MS
        timeout_ms = min(max(float(given), 1000.0), BASH_MAX_TIMEOUT_MS)
        # One stream, as Claude Code gives its shell: stdout and stderr interleave in order.
        output = self.bash(f"exec 2>&1; {_str(args, 'command')}", timeout_ms / 1000)
        # The runner ends its output with a status line: "[exit code N]" or "[timed out]".
        head, sep, last = output.rpartition("\n")
        body, line = (head, last) if sep else ("", output)
        status = line[1:-1] if line.startswith("[") and line.endswith("]") else "exit code ?"
        # Claude Code drops leading blank lines and trailing white space.
        body = _LEADING_BLANK_LINES.sub("", body).rstrip()
        shown = f"\n{body}" if body else ""
        if status == "timed out":
            seconds = int(timeout_ms / 1000 + 0.5)
            raise ToolFailed(f"Exit code {TIMEOUT_EXIT}{shown}\nCommand timed out after {seconds}s")
        code = status.removeprefix("exit code ").strip()
        if code != "0":
            raise ToolFailed(f"Exit code {code}{shown}")
        return body or "(Bash completed with no output)"

    def _all_files(self) -> set[Path]:
        return set(self.workspace.files())


def _read_text(real: Path) -> str:
    """A workspace file's text. The agent's Bash may have left a FIFO or a link where a file
    was: the harness (root) must neither block on it nor follow it."""
    try:
        return untrusted.read_bytes(real, max_bytes=MAX_TOOL_FILE_BYTES).decode("utf-8")
    except untrusted.UnsafeFileError as exc:
        raise ToolInputError(str(exc).replace(str(real), real.name)) from None


def _write(real: Path, data: bytes) -> None:
    try:
        untrusted.write_bytes(real, data)
    except untrusted.UnsafeFileError:
        raise ToolInputError(f"{real.name}: not a regular file (a link, FIFO or device)") from None


def _str(args: dict[str, Any], key: str, *, allow_empty: bool = False) -> str:
    value = args.get(key)
    if not isinstance(value, str) or (not allow_empty and not value):
        raise ToolInputError(f"input field {key!r} is required and must be a string")
    return value


def _int(args: dict[str, Any], key: str, default: int | None) -> int | None:
    value = args.get(key, default)
    return default if value is None else int(value)  # validated by _validated


_JSON_TYPES = {str: "string", bool: "boolean", int: "number", float: "number", list: "array",
               dict: "object", type(None): "null"}  # fmt: skip
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


def _validated(name: str, given: dict[str, Any]) -> dict[str, Any]:
    """The input checked against the tool's schema, Claude Code's way: a missing or unexpected
    parameter or a wrong type is an ``InputValidationError``; a number sent as a string is
    taken as the number."""
    schema = SPECS[name].input_schema
    props: dict[str, Any] = schema["properties"]
    args = dict(given)
    issues = [f"The required parameter `{key}` is missing" for key in schema["required"]
              if key not in args and not (key == "content" and BINARY_CONTENT in args)]  # fmt: skip
    for key, value in args.items():
        expected = (props.get(key) or {}).get("type")
        if key not in props:
            if (
                schema.get("additionalProperties") is False
                and key not in _INTERNAL_KEYS
                and not (name == "Write" and key == BINARY_CONTENT)
            ):
                issues.append(f"An unexpected parameter `{key}` was provided")
            continue
        if expected in ("integer", "number") and isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = None
            if number is not None and (expected == "number" or number.is_integer()):
                args[key] = int(number) if expected == "integer" else number
                continue
        if not _has_type(value, expected):
            actual = _JSON_TYPES.get(type(value), type(value).__name__)
            issues.append(
                f"The parameter `{key}` type is expected as `{expected}` but provided as `{actual}`"
            )
    if issues:
        plural = "issues" if len(issues) > 1 else "issue"
        raise ToolInputError(
            f"InputValidationError: {name} failed due to the following {plural}:\n"
            + "\n".join(issues)
        )
    return args


def _has_type(value: Any, expected: str | None) -> bool:
    if expected == "string":
        return isinstance(value, str)
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return True


def _cap(text: str) -> str:
    if len(text) <= MAX_RESULT_CHARS:
        return text
    return text[:MAX_RESULT_CHARS] + f"\n... [{len(text) - MAX_RESULT_CHARS} characters cut]"


def workspace_hint() -> str:
    return f"Your workspace root is {VIRTUAL_ROOT}. Use paths relative to it or under it."
