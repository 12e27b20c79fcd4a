"""Serve the fake Messages API from the command line, for trying the harness end to end
without a key or a network (the README's "try it against the fake")::

    .venv/bin/python tests/fakes/serve.py --case user-registration --port 8765 &
    ANTHROPIC_BASE_URL=http://127.0.0.1:8765 ANTHROPIC_API_KEY=fake \\
        make eval EVAL_FLAGS="--provider claude-code --case user-registration"

The scripted agent writes the case's reference solution with Write (one call per file, at
absolute ``/workspace/...`` paths), runs an import check with Bash, edits one file with Edit
and reports; without ``--case`` it answers every turn with "Done.".
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fakes.messages_api import FakeMessagesAPI, Reply, Script, by_turn, text, tool_use

ROOT = Path(__file__).resolve().parents[2]


def reference_session(case_dir: Path) -> Script:
    """Write the reference (one file with a draft first line), fix that line with Edit,
    import-check with Bash, Read a file back, report: every file tool, and a passing result."""
    files = {
        p.relative_to(case_dir / "reference").as_posix(): p.read_text(encoding="utf-8")
        for p in sorted((case_dir / "reference").rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
    first = next(rel for rel, body in files.items() if body.strip() and body.splitlines()[0])
    line = files[first].splitlines()[0]
    drafts = {**files, first: files[first].replace(line, DRAFT_LINE, 1)}
    writes = [
        tool_use("Write", {"file_path": f"/workspace/{rel}", "content": body}, f"toolu_w{n}")
        for n, (rel, body) in enumerate(drafts.items())
    ]
    edit = {"file_path": f"/workspace/{first}", "old_string": DRAFT_LINE, "new_string": line}
    check = "cd /workspace && python -c 'import app.main' && echo import-ok"
    read = {"file_path": f"/workspace/{first}", "limit": 5}
    return by_turn(
        [
            Reply([text("I will write the application."), *writes], "tool_use"),
            Reply([tool_use("Edit", edit, "toolu_e")], "tool_use"),
            Reply(
                [tool_use("Bash", {"command": check, "description": "Import check"}, "toolu_b")],
                "tool_use",
            ),
            Reply([tool_use("Read", read, "toolu_r")], "tool_use"),
            Reply([text("Done: the application is in /workspace/app.")]),
        ]
    )


DRAFT_LINE = "# draft: replaced by an Edit call"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--case", help="play this case's reference solution (cases/<id>)")
    args = parser.parse_args()
    script = reference_session(ROOT / "cases" / args.case) if args.case else None
    fake = FakeMessagesAPI(script, port=args.port).start()
    print(f"fake Messages API on {fake.url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
