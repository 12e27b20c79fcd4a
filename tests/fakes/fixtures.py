"""The ``fake_api`` fixture: the fake Messages API, with the real SDK pointed at it through
the environment (a conftest imports it where tests need it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes.messages_api import FakeMessagesAPI


@pytest.fixture
def fake_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMessagesAPI]:
    with FakeMessagesAPI() as fake:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-fake-key-for-tests")
        monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
        monkeypatch.setenv("EVALS_CACHE_DIR", str(tmp_path / "response-cache"))
        monkeypatch.setenv("EVALS_MAX_RETRIES", "2")
        monkeypatch.setenv("EVALS_BATCH_GATHER_S", "1.0")
        monkeypatch.setenv("EVALS_BATCH_POLL_S", "0.05")
        yield fake
