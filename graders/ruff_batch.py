"""One ruff call for every workspace ready to be graded, instead of one call per sample.

ruff starts in a few milliseconds but lints fifty small projects in one call in about the
time of three separate calls. The runner announces each workspace whose generation has
finished (:meth:`RuffBatch.submit`); the first ruff grade that needs findings lints every
announced workspace not linted yet, in one call, and the grades that follow read theirs from
the cache. A workspace nobody announced (a re-grade) is linted on its own, as before.

Each announcement is good for one read: a result is dropped once every grade announced for
it has read it, so a workspace regenerated at the same path is linted again.
"""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

from graders import ruff


class RuffBatch:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._announced: Counter[Path] = Counter()
        self._results: dict[Path, list[dict] | Exception] = {}
        self.calls = 0
        """ruff invocations so far (the bench and tests read it)."""

    def submit(self, workspace: Path) -> None:
        """``workspace`` is final and one grade of it will follow."""
        with self._lock:
            self._announced[Path(workspace).resolve()] += 1

    def findings(self, workspace: Path) -> list[dict]:
        """ruff's raw findings for ``workspace``, linting the whole pending batch if needed.

        Raises what :func:`graders.ruff.run_ruff` raised when ruff failed on this workspace
        linted alone.
        """
        key = Path(workspace).resolve()
        # One call at a time: a grader arriving while a batch runs waits for it, and usually
        # finds its own findings in it.
        with self._lock:
            if key not in self._results:
                batch = [p for p in self._announced if p not in self._results and p.is_dir()]
                if key not in batch:
                    batch.append(key)
                self._lint(batch)
            found = self._results[key]
            self._announced[key] -= 1
            if self._announced[key] <= 0:
                del self._announced[key]
                del self._results[key]
        if isinstance(found, Exception):
            raise found
        return found

    def _lint(self, batch: list[Path]) -> None:
        try:
            self.calls += 1
            raw = ruff.run_ruff(batch)
        except Exception as exc:
            if len(batch) == 1:
                self._results[batch[0]] = exc
                return
            # One workspace broke the batch: lint each alone, so the culprit's failure is its
            # own, recorded once, and never part of a later batch to poison it again.
            for root in batch:
                self._lint([root])
            return
        for root in batch:
            self._results[root] = []
        roots = set(batch)
        for finding in raw:
            owner = _owner(str(finding.get("filename", "")), roots)
            if owner is not None:
                found = self._results[owner]
                assert isinstance(found, list)
                found.append(finding)


def _owner(filename: str, roots: set[Path]) -> Path | None:
    for parent in Path(filename).parents:
        if parent in roots:
            return parent
    return None


BATCH = RuffBatch()
"""The process's batch: the runner submits to it, :class:`graders.ruff.RuffGrader` reads it."""
