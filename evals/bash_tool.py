"""The agent's Bash tool: a command run in the sample's sandbox, as if at ``/workspace``.

The sandbox binds the workspace at its real path (the run folder), but the agent is told its
root is ``/workspace``. So the command's ``/workspace`` paths are mapped to the real folder
and the real folder is shown back as ``/workspace``: the agent sees one consistent root, and a
tool result never contains the run folder's name, which would make every later request of a
re-run differ and miss the response cache.

The harness's own interpreter environment (the one the graders use, with the packages the
agent is told about, pytest and ruff) comes first on ``PATH``; the environment holds no
secrets and the network is off (see :mod:`evals.execute.sandbox`).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from evals.execute.sandbox import SAFE_ENV, Limits, Mount, Sandbox
from evals.tools import BashRunner
from evals.workspace import VIRTUAL_ROOT, Workspace

OUTPUT_CHARS = 15_000
_VIRTUAL = re.compile(rf"(?<![\w./-]){re.escape(str(VIRTUAL_ROOT))}(?=/|\b|$)")


def bash_env() -> dict[str, str]:
    return {"PATH": f"{Path(sys.executable).parent}:{SAFE_ENV['PATH']}"}


def make_bash_runner(sandbox: Sandbox, workspace: Workspace) -> BashRunner:
    real = str(workspace.root)

    def run_bash(command: str, timeout: float) -> str:
        result = sandbox.run(
            ["bash", "-c", _VIRTUAL.sub(real, command)],
            cwd=workspace.root,
            mounts=[Mount(workspace.root, writable=True)],
            env=bash_env(),
            limits=Limits(timeout_s=timeout, output_chars=OUTPUT_CHARS),
            log_dir=workspace.root.parent / "bash-log",
        )
        status = "timed out" if result.timed_out else f"exit code {result.returncode}"
        output = f"{result.stdout}{result.stderr}".replace(real, str(VIRTUAL_ROOT))
        return f"{output}\n[{status}]".strip()

    return run_bash
