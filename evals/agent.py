"""Parse a Claude Code subagent file: ``---`` front matter, then the system prompt body.

Claude Code reads front matter line by line (``key: value``), not as full YAML: the stock
agent's description holds ``Context: ...`` sequences that a YAML parser rejects. We follow
Claude Code, and are strict about everything else: one key per line, known keys only, no
duplicates, a name, a description and a non-empty body.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from evals.errors import AgentFileError

KNOWN_KEYS = ("name", "description", "model", "tools", "color", "permissionMode", "skills")
_KEY_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):(?:[ \t]+(.*))?$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class AgentFile:
    """An agent definition, as read from disk."""

    path: Path
    name: str
    description: str
    model: str | None
    tools: tuple[str, ...] | None
    color: str | None
    body: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def parse_agent_file(path: Path | str) -> AgentFile:
    """Read and validate an agent file; every problem is an :class:`AgentFileError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AgentFileError("agent file not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AgentFileError(f"cannot read agent file: {exc}", path=path) from None
    return parse_agent_text(text, path)


def parse_agent_text(text: str, path: Path) -> AgentFile:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise AgentFileError("front matter must start with '---' on the first line", path=path)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise AgentFileError("front matter is not closed by a '---' line", path=path) from None

    fields: dict[str, str] = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip():
            continue
        match = _KEY_LINE.match(line)
        if match is None:
            raise AgentFileError(
                f"line {number}: expected 'key: value' in front matter, got {line[:60]!r}",
                path=path,
            )
        key, value = match.group(1), (match.group(2) or "").strip()
        if key not in KNOWN_KEYS:
            raise AgentFileError(
                f"line {number}: unknown front-matter key {key!r} (known: {', '.join(KNOWN_KEYS)})",
                path=path,
            )
        if key in fields:
            raise AgentFileError(f"line {number}: duplicate key {key!r}", path=path)
        fields[key] = _unquote(value)

    name = fields.get("name", "")
    if not name:
        raise AgentFileError("front matter has no 'name'", path=path)
    if not _NAME.match(name):
        raise AgentFileError(
            f"name {name!r} must be lowercase letters, digits and hyphens", path=path
        )
    if not fields.get("description"):
        raise AgentFileError("front matter has no 'description'", path=path)
    body = "\n".join(lines[end + 1 :]).strip()
    if not body:
        raise AgentFileError("the body (the system prompt) is empty", path=path)

    tools = None
    if "tools" in fields:
        tools = tuple(t.strip() for t in fields["tools"].split(",") if t.strip())
        if not tools:
            raise AgentFileError("'tools' is present but lists no tool", path=path)
    return AgentFile(
        path=path,
        name=name,
        description=fields["description"],
        model=fields.get("model") or None,
        tools=tools,
        color=fields.get("color") or None,
        body=body,
        text=text,
    )


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value
