"""One exception root for everything the harness reports to a user.

A grade is a value, never an exception: these are for bad input (a malformed agent file or
case), usage errors and infrastructure failures. Each carries the context a user needs to act
(the file, the case id), and the CLI maps classes to exit codes.
"""

from __future__ import annotations

from pathlib import Path


class HarnessError(Exception):
    """Root of every error the harness raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        super().__init__(f"{path}: {message}" if path is not None else message)


class UsageError(HarnessError):
    """Bad command-line usage or configuration."""


class AgentFileError(HarnessError):
    """The agent file is malformed (front matter, required fields, body)."""


class CaseError(HarnessError):
    """A case folder does not follow the case format."""

    def __init__(self, message: str, *, path: Path | str, case_id: str | None = None) -> None:
        self.case_id = case_id
        super().__init__(message, path=path)


class WorkspaceError(HarnessError):
    """A tool call tried to leave the workspace or touch a protected file.

    Raised inside the tool loop and turned into a tool error the agent reads; it never ends
    the run.
    """


class StoreError(HarnessError):
    """The run folder cannot be read or written (missing run, full disk, permissions)."""


class InfraError(HarnessError):
    """The harness, sandbox or API broke: not the generated code's fault."""

    exit_code = 3


class ProviderError(InfraError):
    """A model provider failed after its retries (API errors, broken replies)."""


class FatalProviderError(ProviderError):
    """An API error no retry will heal (bad key, no permission, unknown model): the run
    stops at once with the API's message."""


class SandboxError(InfraError):
    """The sandbox could not be set up or refused to run (no isolation available)."""
