"""Progress on standard error while a run works (standard output is kept for the result).

On a terminal: a live view (rich), redrawn in place, of the samples in flight (turn, last
tool, tokens), spend against the cap, and the API errors being retried with their causes; each
finished sample is printed above it. Not on a terminal (CI, ``make`` piping): the same facts
as plain lines, one per event. ``-q``: nothing (the cli still prints banners and errors).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from evals.records import Usage


@dataclass
class InFlight:
    turn: int = 0
    tool: str = ""
    tokens: int = 0
    cached: int = 0
    """Turns served from the response cache."""


@dataclass
class Progress:
    total: int
    quiet: bool = False
    done: int = 0
    failed: int = 0
    infra: int = 0
    left: int = 0
    """Samples the cost cap left for --resume."""
    limit_usd: float | None = None
    spent_usd: float = 0.0
    live: bool | None = None
    """None: a live view when standard error is a terminal."""
    per_turn: bool = True
    """Plain lines for each start and turn (off for known-solution runs: no turns to wait on)."""
    started: float = field(default_factory=time.monotonic)
    in_flight: dict[str, InFlight] = field(default_factory=dict)
    retries: Counter[str] = field(default_factory=Counter)
    _live: Any = None
    _console: Any = None

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        if self.quiet:
            return
        if self.live is None:
            self.live = sys.stderr.isatty()
        if self.live:
            from rich.console import Console
            from rich.live import Live

            self._console = Console(file=sys.stderr)
            self._live = Live(
                get_renderable=self._view, console=self._console, refresh_per_second=4,
                transient=True, redirect_stdout=False, redirect_stderr=False,
            )  # fmt: skip
            self._live.start()

    def stop(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def say(self, text: str) -> None:
        if self.quiet:
            return
        if self._live is not None:
            self._console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            print(text, file=sys.stderr, flush=True)

    # --- events -------------------------------------------------------------------------------

    def sample_started(self, label: str) -> None:
        self.in_flight[label] = InFlight()
        if not self._live and self.per_turn:
            self.say(f"  start  {label}")

    def turn(self, label: str, turn: int, usage: Usage, tools: list[str], cached: bool) -> None:
        state = self.in_flight.setdefault(label, InFlight())
        state.turn = turn
        state.tool = ", ".join(tools) or "(reply)"
        state.tokens += usage.input_tokens + usage.output_tokens
        state.tokens += usage.cache_read_tokens + usage.cache_write_tokens
        state.cached += cached
        if not self._live and self.per_turn:
            mark = "  cached" if cached else ""
            self.say(
                f"  turn {turn:>2}  {label}  {state.tool}  {usage.output_tokens:,} out, "
                f"{state.tokens:,} tokens so far{mark}  {self._spend()}"
            )

    def retry(self, cause: str) -> None:
        self.retries[cause] += 1
        if not self._live:
            self.say(f"  retry  the API answered {cause} ({self.retries[cause]} so far)")

    def spend(self, spent_usd: float, limit_usd: float | None) -> None:
        self.spent_usd, self.limit_usd = spent_usd, limit_usd

    def sample_left(self, label: str, why: str) -> None:
        self.in_flight.pop(label, None)
        self.left += 1
        dashes = "-" * len(str(self.total))
        self.say(f"[{dashes}/{self.total}] LEFT  {label}  ({why}: for --resume)")

    def sample_done(self, label: str, passed: bool, score: float, infra: str | None) -> None:
        self.in_flight.pop(label, None)
        self.done += 1
        self.failed += not passed and not infra
        self.infra += bool(infra)
        elapsed = time.monotonic() - self.started
        eta = elapsed / self.done * max(self.total - self.done - self.left, 0)
        verdict = "INFRA" if infra else ("pass" if passed else "FAIL")
        width = len(str(self.total))
        self.say(
            f"[{self.done:>{width}}/{self.total}] {verdict:<5} {score:4.2f}  {label}"
            f"   ({elapsed:5.1f}s, ~{eta:4.0f}s left)"
        )

    # --- the live view ------------------------------------------------------------------------

    def _spend(self) -> str:
        if self.limit_usd is None:
            return f"${self.spent_usd:.4f} spent"
        return f"${self.spent_usd:.4f} of ${self.limit_usd:g} cap"

    def _view(self) -> Any:
        from rich.table import Table

        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        for column in ("sample", "turn", "last tool", "tokens"):
            table.add_column(column, justify="right" if column in ("turn", "tokens") else "left")
        for label, state in sorted(list(self.in_flight.items())):
            cached = f" ({state.cached} cached)" if state.cached else ""
            table.add_row(label, str(state.turn), state.tool or "(waiting)",
                          f"{state.tokens:,}{cached}")  # fmt: skip
        elapsed = time.monotonic() - self.started
        table.caption = (
            f"{self.done}/{self.total} done ({self.failed} failed, {self.infra} infra), "
            f"{len(self.in_flight)} in flight, {self._spend()}, {elapsed:.0f}s"
        )
        if self.retries:
            causes = ", ".join(f"{c} x{n}" for c, n in self.retries.most_common())
            table.caption += f"\nretrying: {causes}"
        return table
