"""Progress on standard error while a run works (standard output is kept for the result)."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field


@dataclass
class Progress:
    total: int
    quiet: bool = False
    done: int = 0
    failed: int = 0
    infra: int = 0
    started: float = field(default_factory=time.monotonic)

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def sample_done(self, label: str, passed: bool, score: float, infra: str | None) -> None:
        self.done += 1
        self.failed += not passed and not infra
        self.infra += bool(infra)
        elapsed = time.monotonic() - self.started
        eta = elapsed / self.done * (self.total - self.done)
        verdict = "INFRA" if infra else ("pass" if passed else "FAIL")
        width = len(str(self.total))
        self.say(
            f"[{self.done:>{width}}/{self.total}] {verdict:<5} {score:4.2f}  {label}"
            f"   ({elapsed:5.1f}s, ~{eta:4.0f}s left)"
        )
