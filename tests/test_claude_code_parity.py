"""Parity: one scripted model conversation through both engines, the harness's own loop
(``anthropic``) and Claude Code (``claude-code``), leaves the same workspace and the same
verdict. The script uses only what both offer in the same shape: Write, Edit, Read and Bash at
absolute ``/workspace`` paths."""

from __future__ import annotations

from fakes import Reply, by_turn, text, tool_use
from fakes.fixtures import fake_api
from fakes.sessions import PING_APP

from evals.config import RunOptions
from evals.runner import run
from evals.store import RunStore

__all__ = ["fake_api"]

SCRIPT = [
    Reply([text("Writing the app."),
           tool_use("Write", {"file_path": "/workspace/app/__init__.py", "content": ""}, "w0"),
           tool_use("Write", {"file_path": "/workspace/app/main.py", "content": PING_APP.replace("app = FastAPI()", "app = None")}, "w1")],
          "tool_use"),
    Reply([tool_use("Read", {"file_path": "/workspace/app/main.py"}, "r0")], "tool_use"),
    Reply([tool_use("Edit", {"file_path": "/workspace/app/main.py", "old_string": "app = None", "new_string": "app = FastAPI()"}, "e0")], "tool_use"),
    Reply([tool_use("Bash", {"command": "cd /workspace && python -c 'import app.main' && echo ok > /workspace/checked.txt", "description": "Import check"}, "b0")], "tool_use"),
    Reply([tool_use("Bash", {"command": "exit 3", "description": "Fail on purpose"}, "b1")], "tool_use"),
    Reply([text("Done.")]),
]  # fmt: skip


def files(store: RunStore) -> dict[str, bytes]:
    root = store.sample_dir("ping", "agent-0") / "workspace"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_same_conversation_gives_the_same_workspace_and_verdict_in_both_engines(
    fake_api, make_case, tmp_path
):
    folder = make_case()
    fake_api.script = by_turn(SCRIPT)
    stores = {}
    for engine in ("anthropic", "claude-code"):
        options = RunOptions(cases_dir=folder.parent, out=tmp_path / engine, provider=engine,
                             quiet=True, workers=1)  # fmt: skip
        stores[engine] = RunStore.open(run(options))
    ours, theirs = stores["anthropic"], stores["claude-code"]
    assert files(ours) == files(theirs)
    assert files(ours)["checked.txt"] == b"ok\n"
    (a,), (b,) = ours.results(), theirs.results()
    assert (a.passed, a.score, a.stop, a.turns) == (b.passed, b.score, b.stop, b.turns)
    assert a.passed and a.stop == "end_turn" and a.turns == 6
    # Both ask for the model's own output limit (the first request of each engine).
    assert fake_api.served[0]["max_tokens"] == fake_api.served[6]["max_tokens"] == 128_000
    assert {n: g.passed for n, g in a.grades.items()} == {n: g.passed for n, g in b.grades.items()}
    # Both engines answer a failing command the same way: an error with its exit code.
    failed = [
        block
        for body in fake_api.served
        for message in body["messages"]
        if isinstance(message["content"], list)
        for block in message["content"]
        if block.get("tool_use_id") == "b1"
    ]
    assert len(failed) == 2 and all(f.get("is_error") for f in failed)
    assert all(str(f["content"]).startswith("Exit code 3") for f in failed)
