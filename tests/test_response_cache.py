"""The response cache: content-addressed on the whole request and the sample index,
durable, and a broken entry is a miss rather than an error."""

from __future__ import annotations

from evals.records import Message, ModelReply, ModelRequest, TextBlock, ToolSpec, Usage
from evals.response_cache import ResponseCache, request_key


def request(**changes) -> ModelRequest:
    base = {
        "model": "claude-sonnet-5-5",
        "system": "You are an agent.",
        "tools": [ToolSpec(name="Read", description="read", input_schema={"type": "object"})],
        "messages": [Message(role="user", content=[TextBlock(text="Build it.")])],
        "max_tokens": 1024,
    }
    return ModelRequest(**{**base, **changes})


def test_the_key_covers_every_part_of_the_request_and_the_sample_index():
    key = request_key(request(), 0)
    assert request_key(request(), 0) == key
    variations = [
        request(model="claude-opus-5-5"),
        request(system="You are another agent."),
        request(tools=[]),
        request(messages=[Message(role="user", content=[TextBlock(text="Build that.")])]),
        request(max_tokens=2048),
        request(temperature=0.5),
    ]
    keys = {request_key(r, 0) for r in variations} | {request_key(request(), 1)}
    assert key not in keys and len(keys) == len(variations) + 1


def test_a_stored_reply_comes_back_as_it_was(tmp_path):
    cache = ResponseCache(tmp_path)
    reply = ModelReply(
        content=[TextBlock(text="done")],
        stop_reason="end_turn",
        usage=Usage(input_tokens=3, output_tokens=2),
        cost_usd=0.25,
    )
    key = request_key(request(), 0)
    assert cache.get(key) is None
    cache.put(key, model="claude-sonnet-5-5", sample=0, reply=reply, batch=False)
    entry = ResponseCache(tmp_path).get(key)
    assert entry is not None and entry.reply == reply and not entry.batch
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_torn_or_foreign_entry_is_a_miss(tmp_path):
    cache = ResponseCache(tmp_path)
    key = request_key(request(), 0)
    path = cache.path(key)
    path.parent.mkdir(parents=True)
    path.write_text('{"key": "')
    assert cache.get(key) is None
    other = request_key(request(), 1)
    cache.put(
        other,
        model="m",
        sample=1,
        reply=ModelReply(content=[], stop_reason="end_turn"),
        batch=False,
    )
    path.write_text(cache.path(other).read_text())
    assert cache.get(key) is None


def test_the_cache_folder_can_be_moved_by_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALS_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert ResponseCache().root == tmp_path / "elsewhere"
