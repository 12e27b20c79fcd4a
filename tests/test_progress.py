"""The live view of ``evals run`` (rich, on a terminal) and its plain-line fallback."""

from __future__ import annotations

import io

from rich.console import Console

from evals.progress import Progress
from evals.records import Usage


def test_the_live_view_shows_samples_in_flight_spend_against_the_cap_and_retry_causes():
    progress = Progress(total=3, limit_usd=10.0)
    progress.sample_started("crud agent-0")
    progress.sample_started("jwt agent-1")
    progress.turn("crud agent-0", 3, Usage(input_tokens=1000, output_tokens=200), ["Write"], False)
    progress.turn("jwt agent-1", 1, Usage(cache_read_tokens=500), [], True)
    progress.spend(1.25, 10.0)
    progress.retry("529 overloaded_error")
    progress.retry("529 overloaded_error")
    progress.sample_done("crud agent-0", True, 1.0, None)

    out = io.StringIO()
    Console(file=out, width=120, color_system=None).print(progress._view())
    text = " ".join(out.getvalue().split())  # the caption wraps at the table's width
    assert "jwt agent-1" in text and "(reply)" in text and "500 (1 cached)" in text
    assert "crud agent-0" not in text  # finished: printed above the view, not in flight
    assert "1/3 done (0 failed, 0 infra), 1 in flight, $1.2500 of $10 cap" in text
    assert "retrying: 529 overloaded_error x2" in text


def test_quiet_prints_nothing(capsys):
    progress = Progress(total=1, quiet=True)
    progress.start()
    progress.sample_started("a agent-0")
    progress.retry("500 api_error")
    progress.sample_done("a agent-0", False, 0.0, None)
    progress.stop()
    assert capsys.readouterr().err == ""
