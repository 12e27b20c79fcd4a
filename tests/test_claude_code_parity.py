"""Parity: one scripted model conversation through both engines, the harness's own loop
(``anthropic``) and Claude Code (``claude-code``), leaves the same workspace and the same
verdict, and every tool call of it gets the same result text from both. The script uses only
what both offer in the same shape: Write, Edit, Read and Bash at ``/workspace`` paths, with the
results both engines word alike (tests/test_tools.py pins them one by one)."""

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
    *[Reply([tool_use(name, args, f"x{n}")], "tool_use") for n, (name, args) in enumerate([
        ("Write", {"file_path": "/workspace/notes.txt", "content": "x = 1\nx = 1\ny = 2\n"}),
        ("Read", {"file_path": "/workspace/notes.txt", "offset": 2, "limit": 2}),
        ("Read", {"file_path": "/workspace/missing.txt"}),
        ("Edit", {"file_path": "/workspace/notes.txt", "old_string": "zzz", "new_string": "q"}),
        ("Edit", {"file_path": "/workspace/notes.txt", "old_string": "x = 1", "new_string": "x = 2"}),
        ("Edit", {"file_path": "/workspace/notes.txt", "old_string": "x = 1", "new_string": "x = 2", "replace_all": True}),
        ("Write", {"file_path": "/workspace/notes.txt", "content": "done\n"}),
        ("Bash", {"command": "printf 'p\\n' > /workspace/p.txt; echo a; echo b >&2; echo c", "description": "Mixed output"}),
        ("Edit", {"file_path": "/workspace/p.txt", "old_string": "p", "new_string": "q"}),
        ("Read", {"file_path": "/workspace/p.txt", "offset": 9}),
        ("Bash", {"command": "sleep 5", "timeout": 1000, "description": "Time out"}),
        ("Bash", {"command": "true", "description": "No output"}),
        ("Glob", {"pattern": "*"}),
    ])],
    Reply([text("Done.")]),
]  # fmt: skip


def files(store: RunStore) -> dict[str, bytes]:
    root = store.layout.sample("ping", "agent-0").workspace
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
    assert a.passed and a.stop == "end_turn" and a.turns == len(SCRIPT)
    # Both ask for the model's own output limit (the first request of each engine).
    assert fake_api.served[0]["max_tokens"] == fake_api.served[len(SCRIPT)]["max_tokens"] == 128_000
    assert {n: g.passed for n, g in a.grades.items()} == {n: g.passed for n, g in b.grades.items()}
    # Every tool call got the same result, word for word, from both engines.
    ours_results = results(fake_api.served[len(SCRIPT) - 1])
    theirs_results = results(fake_api.served[-1])
    assert len(ours_results) == 19 and ours_results == theirs_results
    assert ours_results["b1"] == (True, "Exit code 3")
    assert ours_results["x10"] == (True, "Exit code 143\nCommand timed out after 1s")


def results(body: dict) -> dict[str, tuple[bool, str]]:
    """Every tool_result of a request: its id -> (is_error, text)."""
    return {
        block["tool_use_id"]: (bool(block.get("is_error")), block["content"])
        for message in body["messages"]
        if isinstance(message["content"], list)
        for block in message["content"]
        if block.get("type") == "tool_result"
    }
