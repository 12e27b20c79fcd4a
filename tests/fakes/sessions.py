"""Scripted agent sessions for the fake Messages API."""

from __future__ import annotations

from fakes.messages_api import Reply, Script, by_turn, text, tool_use

PING_APP = """from fastapi import FastAPI

app = FastAPI()


@app.get("/api/v1/ping")
def ping() -> dict[str, str]:
    return {"status": "ok"}
"""


def write_files_turn(files: dict[str, str], turn: int = 0) -> Reply:
    calls = [
        tool_use(
            "Write", {"file_path": f"/workspace/{rel}", "content": content}, f"toolu_{turn}_{n}"
        )
        for n, (rel, content) in enumerate(sorted(files.items()))
    ]
    return Reply([text("Writing the app."), *calls], "tool_use")


def ping_session(*, bash: bool = False) -> Script:
    """Write a correct ping app, (with ``bash``) import-check it with Bash, say it is done."""
    turns = [write_files_turn({"app/__init__.py": "", "app/main.py": PING_APP})]
    if bash:
        command = "cd /workspace && python -c 'import app.main; print(\"import ok\")' && pwd"
        turns.append(Reply([tool_use("Bash", {"command": command}, "toolu_1_0")], "tool_use"))
    turns.append(Reply([text("The ping endpoint is in app/main.py.")]))
    return by_turn(turns)
