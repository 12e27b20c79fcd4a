"""Claude-Code-shaped tools (Read, Write, Edit, Glob, Grep, Bash) over a :class:`Workspace`.

Every failure is returned to the agent as a tool error it can read and react to; a tool call
never raises into the loop. Inputs are validated here because the model may send anything.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
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
MAX_READ_LINES = 2000
MAX_TOOL_FILE_BYTES = 20_000_000
"""What Read, Edit and Grep open (the workspace's own total cap)."""
BINARY_CONTENT = "content_base64"
"""Write's input key for bytes that are not UTF-8 text (see :meth:`Toolset._tool_write`)."""

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
                },
                "required": ["file_path"],
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
    """The tool ran and failed (a command's non-zero exit): an error result, unwrapped."""


@dataclass
class Toolset:
    workspace: Workspace
    enabled: tuple[str, ...] = DEFAULT_TOOLS
    bash: BashRunner | None = None

    def specs(self) -> list[ToolSpec]:
        names = [n for n in self.enabled if n != "Bash" or self.bash is not None]
        return [SPECS[n] for n in names]

    def execute(self, call: ToolUseBlock) -> ToolResultBlock:
        handler = getattr(self, f"_tool_{call.name.lower()}", None)
        offered = {spec.name for spec in self.specs()}
        if call.name not in offered or handler is None:
            return self._error(call, f"unknown tool {call.name!r}; available: {sorted(offered)}")
        try:
            text = handler(call.input)
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
        if not real.is_file():
            raise ToolInputError(f"{args['file_path']}: no such file")
        offset = max(_int(args, "offset", 1), 1)
        limit = min(max(_int(args, "limit", MAX_READ_LINES), 1), MAX_READ_LINES)
        lines = _read_text(real).splitlines()
        chosen = lines[offset - 1 : offset - 1 + limit]
        if not chosen:
            return "(empty file)" if not lines else f"(file has {len(lines)} lines)"
        return "\n".join(f"{n:>6}\t{line}" for n, line in enumerate(chosen, start=offset))

    def _tool_write(self, args: dict[str, Any]) -> str:
        if isinstance(args.get(BINARY_CONTENT), str):
            # Not in the advertised schema: the reference provider's way to play a known
            # solution's binary file (an image fixture, say) through the same checks.
            try:
                data = base64.b64decode(args[BINARY_CONTENT], validate=True)
            except ValueError:
                raise ToolInputError(f"{BINARY_CONTENT} is not valid base64") from None
        else:
            data = _str(args, "content", allow_empty=True).encode("utf-8")
        real = self.workspace.check_writable(_str(args, "file_path"), len(data))
        existed = real.exists()
        real.parent.mkdir(parents=True, exist_ok=True)
        _write(real, data)
        verb = "Updated" if existed else "Created"
        return f"{verb} {self.workspace.display(real)} ({len(data)} bytes)"

    def _tool_edit(self, args: dict[str, Any]) -> str:
        given = _str(args, "file_path")
        old = _str(args, "old_string", allow_empty=True)
        new = _str(args, "new_string", allow_empty=True)
        real = self.workspace.resolve(given)
        if not real.is_file():
            raise ToolInputError(f"{given}: no such file (use Write to create it)")
        if old == new:
            raise ToolInputError("old_string and new_string are identical")
        text = _read_text(real)
        count = text.count(old) if old else 0
        if count == 0:
            raise ToolInputError(f"{given}: old_string not found")
        if count > 1 and not args.get("replace_all"):
            raise ToolInputError(f"{given}: old_string occurs {count} times; set replace_all")
        replaced = count if args.get("replace_all") else 1
        updated = text.replace(old, new, replaced)
        self.workspace.check_writable(given, len(updated.encode("utf-8")))
        _write(real, updated.encode("utf-8"))
        return f"Edited {self.workspace.display(real)} ({replaced} replacement(s))"

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
        if isinstance(given, bool) or not isinstance(given, int | float):
            raise ToolInputError("input field 'timeout' must be a number of milliseconds")
        timeout_s = min(max(float(given), 1000.0), BASH_MAX_TIMEOUT_MS) / 1000
        output = self.bash(_str(args, "command"), timeout_s)
        # The runner ends its output with a status line: "[exit code N]" or "[timed out]".
        head, sep, last = output.rpartition("\n")
        body, line = (head, last) if sep else ("", output)
        status = line[1:-1] if line.startswith("[") and line.endswith("]") else "exit code ?"
        if status == "timed out":
            raise ToolFailed(
                f"Exit code {TIMEOUT_EXIT}\n{body}\nCommand timed out after {timeout_s:g} s".strip()
            )
        code = status.removeprefix("exit code ").strip()
        if code != "0":
            raise ToolFailed(f"Exit code {code}\n{body}".rstrip())
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


def _int(args: dict[str, Any], key: str, default: int) -> int:
    value = args.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ToolInputError(f"input field {key!r} must be an integer")
    return value


def _cap(text: str) -> str:
    if len(text) <= MAX_RESULT_CHARS:
        return text
    return text[:MAX_RESULT_CHARS] + f"\n... [{len(text) - MAX_RESULT_CHARS} characters cut]"


def workspace_hint() -> str:
    return f"Your workspace root is {VIRTUAL_ROOT}. Use paths relative to it or under it."
