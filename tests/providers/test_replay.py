"""The replay provider re-serves an earlier run's transcripts through today's tool loop and
graders, without calling any API."""

from __future__ import annotations

import pytest
from fakes.sessions import ping_session

from evals.config import RunOptions
from evals.errors import UsageError
from evals.runner import run
from evals.store import RunStore


def test_a_replayed_run_reproduces_the_workspace_and_grades_without_api_calls(
    fake_api, make_case, tmp_path
):
    folder = make_case()
    fake_api.script = ping_session(bash=True)
    source = RunStore.open(
        run(
            RunOptions(
                cases_dir=folder.parent, provider="anthropic", out=tmp_path, quiet=True, workers=1
            )
        )
    )
    served = len(fake_api.served)

    replayed = RunStore.open(
        run(
            RunOptions(
                cases_dir=folder.parent,
                provider="replay",
                replay_from=source.root,
                out=tmp_path,
                quiet=True,
                workers=1,
            )
        )
    )

    assert len(fake_api.served) == served  # no API call
    assert replayed.read_info().model == source.read_info().model
    (before,) = source.results()
    (after,) = replayed.results()
    assert (after.passed, after.score, after.turns, after.stop) == (
        before.passed,
        before.score,
        before.turns,
        before.stop,
    )
    assert after.cost_usd == 0 and after.usage == before.usage
    old = source.read_transcript(source.layout.sample_at(before.sample_dir))
    new = replayed.read_transcript(replayed.layout.sample_at(after.sample_dir))
    assert new.messages == old.messages  # the Bash call ran again and said the same
    main = "workspace/app/main.py"
    assert (replayed.root / after.sample_dir / main).read_text() == (
        source.root / before.sample_dir / main
    ).read_text()


def test_replay_needs_a_run_to_replay(make_case, tmp_path):
    folder = make_case()
    with pytest.raises(UsageError, match="--replay-from"):
        run(RunOptions(cases_dir=folder.parent, provider="replay", out=tmp_path, quiet=True))
